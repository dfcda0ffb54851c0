/* A sweep's spec (the parameters swept, the shard, each variant's values and seed) and its result (the rows).
 * The ranges a --set accepts are parsed in sweep-ranges.c, the rows ranked in sweep-pareto.c, written in
 * sweep-write.c, and read back and merged in sweep-load.c. */
#include "sweep/sweep.h"

#include "common/ts-error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[] = {"ok", "infeasible", "error", "crashed", "timeout"};
G_STATIC_ASSERT(G_N_ELEMENTS(status_names) == TS_VARIANT_STATUS_COUNT);

const char *
ts_variant_status_get_name(TsVariantStatus status)
{
  return status < TS_VARIANT_STATUS_COUNT ? status_names[status] : "?";
}

gboolean
ts_variant_status_from_name(const char *name, TsVariantStatus *status)
{
  for (guint i = 0; i < TS_VARIANT_STATUS_COUNT; i++)
    if (g_strcmp0(name, status_names[i]) == 0) {
      *status = (TsVariantStatus) i;
      return TRUE;
    }
  return FALSE;
}

/* ---- spec -------------------------------------------------------------------------------------------- */

static void
sweep_param_free(gpointer p)
{
  TsSweepParam *sp = p;
  g_free(sp->name);
  g_free(sp->spec);
  g_ptr_array_unref(sp->values);
  g_free(sp);
}

TsSweepSpec *
ts_sweep_spec_new(const char *scenario_path, guint64 seed)
{
  TsSweepSpec *s = g_new0(TsSweepSpec, 1);
  s->scenario = g_path_get_basename(scenario_path);
  s->seed = seed;
  s->params = g_ptr_array_new_with_free_func(sweep_param_free);
  s->variants = 1;
  s->deadline_s = NAN;
  s->budget_usd = NAN;
  s->replicas = 1;
  s->quantile = 90;
  return s;
}

void
ts_sweep_spec_free(TsSweepSpec *s)
{
  if (s == NULL)
    return;
  g_free(s->scenario);
  g_free(s->scenario_sha256);
  g_ptr_array_unref(s->params);
  g_free(s);
}

gboolean
ts_sweep_spec_add_set(TsSweepSpec *spec, const char *arg, GError **error)
{
  const char *eq = strchr(arg, '=');
  if (eq == NULL || eq == arg || eq[1] == '\0') {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "--set %s: expected name=v1,v2,... (or a range: 10..250:10, "
                "512..8192x2)", arg);
    return FALSE;
  }
  g_autofree char *name = g_strstrip(g_strndup(arg, (gsize) (eq - arg)));
  for (guint i = 0; i < spec->params->len; i++)
    if (strcmp(((TsSweepParam *) g_ptr_array_index(spec->params, i))->name, name) == 0) {
      g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "--set %s: %s is already swept; give all its values in one "
                  "--set, separated by commas", arg, name);
      return FALSE;
    }
  TsSweepParam *p = g_new0(TsSweepParam, 1);
  p->name = g_steal_pointer(&name);
  p->spec = g_strdup(eq + 1);
  p->values = g_ptr_array_new_with_free_func(g_free);
  if (!ts_sweep_expand_values(p->spec, p->values, error)) {
    g_prefix_error(error, "--set %s: ", arg);
    sweep_param_free(p);
    return FALSE;
  }
  if (spec->variants * p->values->len > TS_SWEEP_MAX_VARIANTS) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "--set %s: the sweep would have more than %d variants", arg,
                TS_SWEEP_MAX_VARIANTS);
    sweep_param_free(p);
    return FALSE;
  }
  spec->variants *= p->values->len;
  g_ptr_array_add(spec->params, p);
  return TRUE;
}

gboolean
ts_sweep_spec_set_shard(TsSweepSpec *spec, const char *text, GError **error)
{
  guint64 k = 0, n = 0;
  g_auto(GStrv) parts = g_strsplit(text, "/", -1);
  if (g_strv_length(parts) != 2 || !g_ascii_string_to_unsigned(parts[0], 10, 1, G_MAXUINT, &k, NULL) ||
      !g_ascii_string_to_unsigned(parts[1], 10, 1, G_MAXUINT, &n, NULL) || k > n) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE,
                "--shard %s: expected K/N with 1 <= K <= N (the K-th of N slices, counted from 1)", text);
    return FALSE;
  }
  spec->shard_k = (guint) k;
  spec->shard_n = (guint) n;
  return TRUE;
}

void
ts_sweep_spec_variant_values(const TsSweepSpec *spec, guint64 index, const char **values)
{
  /* Mixed radix, the last parameter varying fastest. */
  for (guint i = spec->params->len; i-- > 0;) {
    const TsSweepParam *p = g_ptr_array_index(spec->params, i);
    values[i] = g_ptr_array_index(p->values, index % p->values->len);
    index /= p->values->len;
  }
}

char **
ts_sweep_spec_variant_sets(const TsSweepSpec *spec, guint64 index)
{
  guint n = spec->params->len;
  const char **values = g_newa(const char *, n + 1);
  ts_sweep_spec_variant_values(spec, index, values);
  char **sets = g_new0(char *, n + 1);
  for (guint i = 0; i < n; i++)
    sets[i] = g_strdup_printf("%s=%s", ((TsSweepParam *) g_ptr_array_index(spec->params, i))->name, values[i]);
  return sets;
}

gboolean
ts_sweep_spec_in_shard(const TsSweepSpec *spec, guint64 index)
{
  /* Round robin: every slice gets a share of each region of the product, so slices take alike long. */
  return spec->shard_n == 0 || index % spec->shard_n == spec->shard_k - 1;
}

guint64
ts_sweep_variant_seed(guint64 seed, guint64 index)
{
  guint64 z = seed + G_GUINT64_CONSTANT(0x9E3779B97F4A7C15) * (index + 1);
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT(0x94D049BB133111EB);
  z ^= z >> 31;
  return z & ((G_GUINT64_CONSTANT(1) << 53) - 1);
}

/* ---- rows and results ------------------------------------------------------------------------------- */

void
ts_sweep_row_clear(TsSweepRow *row)
{
  g_clear_pointer(&row->error, g_free);
}

gboolean
ts_sweep_row_feasible(const TsSweepRow *row)
{
  return row->status == TS_VARIANT_OK;
}

gboolean
ts_sweep_row_has_result(const TsSweepRow *row)
{
  return row->status == TS_VARIANT_OK || row->status == TS_VARIANT_INFEASIBLE;
}

TsSweepResult *
ts_sweep_result_new(TsSweepSpec *spec)
{
  TsSweepResult *r = g_new0(TsSweepResult, 1);
  r->spec = spec;
  r->rows = g_array_new(FALSE, TRUE, sizeof(TsSweepRow));
  g_array_set_clear_func(r->rows, (GDestroyNotify) ts_sweep_row_clear);
  r->complete = TRUE;
  r->recommended = -1;
  return r;
}

void
ts_sweep_result_free(TsSweepResult *r)
{
  if (r == NULL)
    return;
  ts_sweep_spec_free(r->spec);
  g_free(r->file);
  g_array_unref(r->rows);
  g_free(r->recommendation);
  g_free(r);
}
