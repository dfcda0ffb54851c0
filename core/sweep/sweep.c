#include "sweep/sweep.h"

#include "common/ts-error.h"
#include "common/ts-json.h"
#include "output/atomic-file.h"
#include "output/chart.h"
#include "output/json-writer.h"
#include "output/timeline-csv.h"
#include "units/units.h"

#include <json-glib/json-glib.h>
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
param_free(gpointer p)
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
  s->params = g_ptr_array_new_with_free_func(param_free);
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

/* Numbers are written one way ("1e3" and "1000.0" are both "1000"), so a value reads the same in every
 * output and a merge can match rows by text. */
static char *
canonical_value(const char *text)
{
  g_autofree char *t = g_strstrip(g_strdup(text));
  char *end = NULL;
  double v = g_ascii_strtod(t, &end);
  if (end != t && *end == '\0' && isfinite(v) && !g_ascii_isalpha(t[0])) {
    GString *s = g_string_new(NULL);
    ts_json_append_number(s, v);
    return g_string_free(s, FALSE);
  }
  return g_steal_pointer(&t);
}

static gboolean
parse_number(const char *text, const char *item, double *out, GError **error)
{
  g_autofree char *t = g_strstrip(g_strdup(text));
  char *end = NULL;
  double v = g_ascii_strtod(t, &end);
  if (t[0] == '\0' || end == t || *end != '\0' || !isfinite(v)) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE,
                "range \"%s\": \"%s\" is not a number (ranges read FROM..TO, FROM..TO:STEP or FROM..TOxFACTOR)",
                item, t);
    return FALSE;
  }
  *out = v;
  return TRUE;
}

/* Rounded to 12 significant digits, so 0.1 + 2 * 0.1 is written 0.3. */
static double
tidy(double v)
{
  char buf[64];
  g_ascii_formatd(buf, sizeof buf, "%.12g", v);
  return g_ascii_strtod(buf, NULL);
}

static gboolean
expand_range(const char *item, GPtrArray *out, GError **error)
{
  const char *dots = strstr(item, "..");
  g_autofree char *from_s = g_strndup(item, (gsize) (dots - item));
  const char *rest = dots + 2;
  const char *colon = strchr(rest, ':');
  const char *times = strchr(rest, 'x');
  if (times == NULL)
    times = strchr(rest, '*');
  double from, to, step = 1, factor = 0;
  g_autofree char *to_s = g_strndup(rest, colon ? (gsize) (colon - rest) : times ? (gsize) (times - rest)
                                                                                : strlen(rest));
  if (!parse_number(from_s, item, &from, error) || !parse_number(to_s, item, &to, error))
    return FALSE;
  if (colon != NULL && !parse_number(colon + 1, item, &step, error))
    return FALSE;
  if (times != NULL && colon == NULL && !parse_number(times + 1, item, &factor, error))
    return FALSE;
  if (to < from) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "range \"%s\": the end is below the start", item);
    return FALSE;
  }
  if (times != NULL && colon == NULL) {
    if (!(factor > 1) || !(from > 0)) {
      g_set_error(error, TS_ERROR, TS_ERROR_USAGE,
                  "range \"%s\": a geometric range needs a start above 0 and a factor above 1 (512..8192x2)", item);
      return FALSE;
    }
    for (guint i = 0;; i++) {
      double v = tidy(from * pow(factor, i));
      if (v > to * (1 + 1e-12))
        break;
      if (out->len >= TS_SWEEP_MAX_VARIANTS) {
        g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "range \"%s\": too many values", item);
        return FALSE;
      }
      GString *s = g_string_new(NULL);
      ts_json_append_number(s, v);
      g_ptr_array_add(out, g_string_free(s, FALSE));
    }
    return TRUE;
  }
  if (!(step > 0)) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "range \"%s\": the step must be above 0 (10..250:10)", item);
    return FALSE;
  }
  double n = floor((to - from) / step * (1 + 1e-12) + 1e-9);
  if (n + 1 > TS_SWEEP_MAX_VARIANTS) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "range \"%s\": %.0f values is too many", item, n + 1);
    return FALSE;
  }
  for (guint64 i = 0; i <= (guint64) n; i++) {
    GString *s = g_string_new(NULL);
    ts_json_append_number(s, tidy(from + (double) i * step));
    g_ptr_array_add(out, g_string_free(s, FALSE));
  }
  return TRUE;
}

gboolean
ts_sweep_expand_values(const char *list, GPtrArray *out, GError **error)
{
  g_auto(GStrv) items = g_strsplit(list, ",", -1);
  for (char **it = items; *it; it++) {
    g_autofree char *item = g_strstrip(g_strdup(*it));
    if (item[0] == '\0') {
      g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "\"%s\": an empty value in the list", list);
      return FALSE;
    }
    if (strstr(item, "..") != NULL) {
      if (!expand_range(item, out, error))
        return FALSE;
    } else {
      g_ptr_array_add(out, canonical_value(item));
    }
  }
  return TRUE;
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
    param_free(p);
    return FALSE;
  }
  if (spec->variants * p->values->len > TS_SWEEP_MAX_VARIANTS) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "--set %s: the sweep would have more than %d variants", arg,
                TS_SWEEP_MAX_VARIANTS);
    param_free(p);
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

static int
row_class(const TsSweepRow *r)
{
  return r->status == TS_VARIANT_OK ? 0 : r->status == TS_VARIANT_INFEASIBLE ? 1 : 2;
}

static int
cmp_double(double a, double b)
{
  gboolean na = isnan(a), nb = isnan(b);
  if (na || nb)
    return na - nb; /* unknown last */
  return a < b ? -1 : a > b ? 1 : 0;
}

static int
cmp_by_cost(gconstpointer pa, gconstpointer pb)
{
  const TsSweepRow *a = pa, *b = pb;
  int c = row_class(a) - row_class(b);
  if (c == 0)
    c = cmp_double(a->cost_total, b->cost_total);
  if (c == 0)
    c = cmp_double(a->total_time_s, b->total_time_s);
  if (c == 0)
    c = a->index < b->index ? -1 : a->index > b->index;
  return c;
}

static int
cmp_by_time(gconstpointer pa, gconstpointer pb)
{
  const TsSweepRow *a = *(TsSweepRow *const *) pa, *b = *(TsSweepRow *const *) pb;
  int c = cmp_double(a->total_time_s, b->total_time_s);
  if (c == 0)
    c = cmp_double(a->cost_total, b->cost_total);
  if (c == 0)
    c = a->index < b->index ? -1 : a->index > b->index;
  return c;
}

static double
normalize(double v)
{
  if (!isfinite(v))
    return NAN;
  return v == 0 ? 0.0 : v; /* -0 reads back as 0 */
}

static char *
format_limit_usd(double usd)
{
  GString *s = g_string_new(NULL);
  ts_json_append_number(s, usd);
  g_string_append(s, " USD");
  return g_string_free(s, FALSE);
}

/* What a deadline or budget is judged on: the run's own seed, or with --replicas the stated quantile over
 * its seeds (P90 by default: a deadline met nine times in ten). */
static double
judged_time(const TsSweepSpec *s, const TsSweepRow *r)
{
  return s->replicas > 1 ? r->time_q_s : r->total_time_s;
}

static double
judged_cost(const TsSweepSpec *s, const TsSweepRow *r)
{
  return s->replicas > 1 ? r->cost_q_usd : r->cost_total;
}

void
ts_sweep_result_finish(TsSweepResult *res)
{
  GArray *rows = res->rows;
  for (guint i = 0; i < rows->len; i++) {
    TsSweepRow *r = &g_array_index(rows, TsSweepRow, i);
    double *v[] = {&r->total_time_s, &r->cost_total, &r->cost_compute, &r->cost_host, &r->cost_storage,
                   &r->cost_network, &r->peak_device, &r->device_capacity, &r->peak_host, &r->host_capacity,
                   &r->peak_storage, &r->storage_capacity, &r->time_q_s, &r->cost_q_usd};
    for (guint k = 0; k < G_N_ELEMENTS(v); k++)
      *v[k] = normalize(*v[k]);
    r->pareto = r->meets_deadline = r->meets_budget = r->recommended = FALSE;
  }
  g_array_sort(rows, cmp_by_cost);

  /* The Pareto front of (time, cost) among the feasible rows: no other is at least as fast and as cheap
   * and strictly better in one. */
  g_autoptr(GPtrArray) byt = g_ptr_array_new();
  for (guint i = 0; i < rows->len; i++) {
    TsSweepRow *r = &g_array_index(rows, TsSweepRow, i);
    if (ts_sweep_row_feasible(r) && !isnan(r->total_time_s) && !isnan(r->cost_total))
      g_ptr_array_add(byt, r);
  }
  g_ptr_array_sort(byt, cmp_by_time);
  double best_cost = INFINITY, best_time = INFINITY;
  for (guint i = 0; i < byt->len; i++) {
    TsSweepRow *r = g_ptr_array_index(byt, i);
    gboolean dominated = best_cost < r->cost_total || (best_cost == r->cost_total && best_time < r->total_time_s);
    r->pareto = !dominated;
    if (r->cost_total < best_cost) {
      best_cost = r->cost_total;
      best_time = r->total_time_s;
    }
  }

  /* Deadline and budget. */
  const TsSweepSpec *s = res->spec;
  gboolean has_d = !isnan(s->deadline_s), has_b = !isnan(s->budget_usd);
  res->recommended = -1;
  g_clear_pointer(&res->recommendation, g_free);
  if (!has_d && !has_b)
    return;
  gint64 best = -1;
  for (guint i = 0; i < rows->len; i++) {
    TsSweepRow *r = &g_array_index(rows, TsSweepRow, i);
    gboolean ok = ts_sweep_row_feasible(r);
    r->meets_deadline = ok && has_d && judged_time(s, r) <= s->deadline_s;
    r->meets_budget = ok && has_b && judged_cost(s, r) <= s->budget_usd;
    if (ok && (!has_d || r->meets_deadline) && (!has_b || r->meets_budget)) {
      if (best < 0) {
        best = i;
      } else if (!has_d) { /* a budget alone: the fastest within it */
        const TsSweepRow *b = &g_array_index(rows, TsSweepRow, best);
        if (cmp_double(judged_time(s, r), judged_time(s, b)) < 0)
          best = i;
      } else if (s->replicas > 1) { /* a deadline: the cheapest at the quantile */
        const TsSweepRow *b = &g_array_index(rows, TsSweepRow, best);
        if (cmp_double(judged_cost(s, r), judged_cost(s, b)) < 0)
          best = i;
      } /* a deadline: the cheapest, and rows are sorted by cost already */
    }
  }
  g_autofree char *dl = has_d ? ts_format_duration(s->deadline_s) : NULL;
  g_autofree char *bl = has_b ? format_limit_usd(s->budget_usd) : NULL;
  g_autofree char *at = s->replicas > 1 ? g_strdup_printf(" at P%u over %u seeds", s->quantile, s->replicas)
                                         : g_strdup("");
  g_autofree char *what = has_d && has_b ? g_strdup_printf("finishes within %s and costs at most %s%s", dl, bl, at)
                          : has_d        ? g_strdup_printf("finishes within %s%s", dl, at)
                                         : g_strdup_printf("costs at most %s%s", bl, at);
  if (best < 0) {
    res->recommendation = g_strdup_printf("no feasible variant %s", what);
    return;
  }
  TsSweepRow *b = &g_array_index(rows, TsSweepRow, best);
  b->recommended = TRUE;
  res->recommended = best;
  guint np = s->params->len;
  const char **values = g_newa(const char *, np + 1);
  ts_sweep_spec_variant_values(s, b->index, values);
  GString *vs = g_string_new(NULL);
  for (guint i = 0; i < np; i++)
    g_string_append_printf(vs, "%s%s=%s", i ? " " : "", ((TsSweepParam *) g_ptr_array_index(s->params, i))->name,
                           values[i]);
  g_autofree char *t = ts_format_duration(judged_time(s, b));
  g_autofree char *c = ts_format_usd(judged_cost(s, b));
  res->recommendation = g_strdup_printf("%s variant that %s: #%" G_GUINT64_FORMAT " %s (%s, %s)",
                                        has_d ? "cheapest" : "fastest", what, b->index, vs->str, t, c);
  g_string_free(vs, TRUE);
}

/* ---- JSON ------------------------------------------------------------------------------------------ */

static void
json_value(TsJsonWriter *w, const char *key, const char *text)
{
  char *end = NULL;
  double v = g_ascii_strtod(text, &end);
  if (end != text && *end == '\0' && isfinite(v) && !g_ascii_isalpha(text[0]))
    ts_json_raw(w, key, text); /* canonical number text */
  else if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0)
    ts_json_bool(w, key, text[0] == 't');
  else
    ts_json_string(w, key, text);
}

static void
json_number_or_null(TsJsonWriter *w, const char *key, double v)
{
  if (isnan(v))
    ts_json_null(w, key);
  else
    ts_json_number(w, key, v);
}

static void
json_optional_bool(TsJsonWriter *w, const char *key, gboolean known, gboolean v)
{
  if (known)
    ts_json_bool(w, key, v);
  else
    ts_json_null(w, key);
}

char *
ts_sweep_result_to_json(const TsSweepResult *res)
{
  const TsSweepSpec *s = res->spec;
  GString *out = g_string_new(NULL);
  TsJsonWriter w;
  ts_json_writer_init(&w, out, TRUE);
  ts_json_begin_object(&w, NULL);
  ts_json_int(&w, "schema_version", TS_SWEEP_SCHEMA_VERSION);
  ts_json_string(&w, "trainsim_version", TS_VERSION);
  ts_json_string(&w, "kind", "sweep");
  ts_json_string(&w, "scenario", s->scenario);
  ts_json_string(&w, "scenario_sha256", s->scenario_sha256);
  ts_json_int(&w, "seed", (gint64) s->seed);
  ts_json_begin_array(&w, "parameters");
  for (guint i = 0; i < s->params->len; i++) {
    const TsSweepParam *p = g_ptr_array_index(s->params, i);
    ts_json_begin_object(&w, NULL);
    ts_json_string(&w, "name", p->name);
    ts_json_string(&w, "spec", p->spec);
    ts_json_int(&w, "count", p->values->len);
    ts_json_end_object(&w);
  }
  ts_json_end_array(&w);
  ts_json_int(&w, "variants", (gint64) s->variants);
  if (s->shard_n > 0) {
    ts_json_begin_object(&w, "shard");
    ts_json_int(&w, "index", s->shard_k);
    ts_json_int(&w, "count", s->shard_n);
    ts_json_end_object(&w);
  } else {
    ts_json_null(&w, "shard");
  }
  ts_json_bool(&w, "complete", res->complete);
  ts_json_int(&w, "finished", res->rows->len);
  json_number_or_null(&w, "deadline_s", s->deadline_s);
  json_number_or_null(&w, "budget_usd", s->budget_usd);
  if (s->replicas > 1) { /* only then: a sweep without replicas keeps its sweep.json as it was */
    ts_json_int(&w, "replicas", s->replicas);
    g_autofree char *q = g_strdup_printf("p%u", s->quantile);
    ts_json_string(&w, "quantile", q);
  }

  guint counts[TS_VARIANT_STATUS_COUNT] = {0};
  guint pareto = 0;
  for (guint i = 0; i < res->rows->len; i++) {
    const TsSweepRow *r = &g_array_index(res->rows, TsSweepRow, i);
    counts[r->status]++;
    pareto += r->pareto;
  }
  ts_json_begin_object(&w, "counts");
  for (guint i = 0; i < TS_VARIANT_STATUS_COUNT; i++)
    ts_json_int(&w, status_names[i], counts[i]);
  ts_json_int(&w, "pareto", pareto);
  ts_json_end_object(&w);

  if (res->recommendation != NULL) {
    ts_json_begin_object(&w, "recommended");
    if (res->recommended >= 0)
      ts_json_int(&w, "index", (gint64) g_array_index(res->rows, TsSweepRow, res->recommended).index);
    else
      ts_json_null(&w, "index");
    ts_json_string(&w, "reason", res->recommendation);
    ts_json_end_object(&w);
  } else {
    ts_json_null(&w, "recommended");
  }

  gboolean has_d = !isnan(s->deadline_s), has_b = !isnan(s->budget_usd);
  guint np = s->params->len;
  const char **values = g_newa(const char *, np + 1);
  ts_json_begin_array(&w, "runs");
  for (guint i = 0; i < res->rows->len; i++) {
    const TsSweepRow *r = &g_array_index(res->rows, TsSweepRow, i);
    gboolean known = ts_sweep_row_has_result(r);
    ts_sweep_spec_variant_values(s, r->index, values);
    ts_json_begin_object(&w, NULL);
    ts_json_int(&w, "index", (gint64) r->index);
    ts_json_int(&w, "seed", (gint64) r->seed);
    ts_json_begin_object(&w, "parameters");
    for (guint k = 0; k < np; k++)
      json_value(&w, ((TsSweepParam *) g_ptr_array_index(s->params, k))->name, values[k]);
    ts_json_end_object(&w);
    ts_json_string(&w, "status", status_names[r->status]);
    ts_json_string(&w, "error", r->error);
    json_optional_bool(&w, "feasible", known, r->status == TS_VARIANT_OK);
    ts_json_bool(&w, "pareto", r->pareto);
    json_optional_bool(&w, "meets_deadline", has_d, r->meets_deadline);
    /* A budget cannot be judged without a price: null, not false. */
    json_optional_bool(&w, "meets_budget", has_b && (!known || !isnan(r->cost_total)), r->meets_budget);
    ts_json_bool(&w, "recommended", r->recommended);
    json_number_or_null(&w, "total_time_s", r->total_time_s);
    if (s->replicas > 1) {
      ts_json_begin_object(&w, "quantile");
      json_number_or_null(&w, "time_s", r->time_q_s);
      json_number_or_null(&w, "cost_usd", r->cost_q_usd);
      ts_json_end_object(&w);
    }
    ts_json_begin_object(&w, "cost_usd");
    json_number_or_null(&w, "total", r->cost_total);
    json_number_or_null(&w, "compute", r->cost_compute);
    json_number_or_null(&w, "host", r->cost_host);
    json_number_or_null(&w, "storage", r->cost_storage);
    json_number_or_null(&w, "network", r->cost_network);
    ts_json_end_object(&w);
    ts_json_begin_object(&w, "peak_memory_bytes");
    json_number_or_null(&w, "device", r->peak_device);
    json_number_or_null(&w, "device_capacity", r->device_capacity);
    json_number_or_null(&w, "host", r->peak_host);
    json_number_or_null(&w, "host_capacity", r->host_capacity);
    json_number_or_null(&w, "storage", r->peak_storage);
    json_number_or_null(&w, "storage_capacity", r->storage_capacity);
    ts_json_end_object(&w);
    ts_json_end_object(&w);
  }
  ts_json_end_array(&w);
  ts_json_end_object(&w);
  return g_string_free(out, FALSE);
}

/* ---- CSV ------------------------------------------------------------------------------------------- */

static const char *const fixed_columns[] = {
  "index", "seed", "status", "feasible", "pareto", "meets_deadline", "meets_budget", "recommended",
  "total_time_s", "cost_total", "cost_compute", "cost_host", "cost_storage", "cost_network",
  "peak_device_bytes", "device_capacity_bytes", "peak_host_bytes", "host_capacity_bytes",
  "peak_storage_bytes", "storage_capacity_bytes", "error"};

static char *
param_column(const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS(fixed_columns); i++)
    if (strcmp(name, fixed_columns[i]) == 0)
      return g_strdup_printf("param_%s", name);
  return g_strdup(name);
}

static void
csv_bool(GString *o, gboolean known, gboolean v)
{
  g_string_append_c(o, ',');
  if (known)
    g_string_append(o, v ? "true" : "false");
}

char *
ts_sweep_result_to_csv(const TsSweepResult *res)
{
  const TsSweepSpec *s = res->spec;
  gboolean has_d = !isnan(s->deadline_s), has_b = !isnan(s->budget_usd);
  guint np = s->params->len;
  GString *o = g_string_new("index,seed");
  for (guint i = 0; i < np; i++) {
    g_autofree char *col = param_column(((TsSweepParam *) g_ptr_array_index(s->params, i))->name);
    g_string_append_c(o, ',');
    ts_csv_append_text(o, col);
  }
  g_string_append(o, ",status,feasible,pareto");
  if (has_d)
    g_string_append(o, ",meets_deadline");
  if (has_b)
    g_string_append(o, ",meets_budget");
  if (has_d || has_b)
    g_string_append(o, ",recommended");
  g_string_append(o, ",total_time_s,cost_total,cost_compute,cost_host,cost_storage,cost_network,"
                     "peak_device_bytes,device_capacity_bytes,peak_host_bytes,host_capacity_bytes,"
                     "peak_storage_bytes,storage_capacity_bytes");
  if (s->replicas > 1)
    g_string_append_printf(o, ",time_p%u_s,cost_p%u_usd", s->quantile, s->quantile);
  g_string_append(o, ",error\n");
  const char **values = g_newa(const char *, np + 1);
  for (guint i = 0; i < res->rows->len; i++) {
    const TsSweepRow *r = &g_array_index(res->rows, TsSweepRow, i);
    ts_sweep_spec_variant_values(s, r->index, values);
    g_string_append_printf(o, "%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT, r->index, r->seed);
    for (guint k = 0; k < np; k++) {
      g_string_append_c(o, ',');
      ts_csv_append_text(o, values[k]);
    }
    g_string_append_c(o, ',');
    g_string_append(o, status_names[r->status]);
    csv_bool(o, ts_sweep_row_has_result(r), r->status == TS_VARIANT_OK);
    csv_bool(o, TRUE, r->pareto);
    if (has_d)
      csv_bool(o, TRUE, r->meets_deadline);
    if (has_b)
      csv_bool(o, TRUE, r->meets_budget);
    if (has_d || has_b)
      csv_bool(o, TRUE, r->recommended);
    const double v[] = {r->total_time_s, r->cost_total, r->cost_compute, r->cost_host, r->cost_storage,
                        r->cost_network, r->peak_device, r->device_capacity, r->peak_host, r->host_capacity,
                        r->peak_storage, r->storage_capacity};
    for (guint k = 0; k < G_N_ELEMENTS(v); k++) {
      g_string_append_c(o, ',');
      ts_csv_append_number(o, v[k]);
    }
    if (s->replicas > 1) {
      g_string_append_c(o, ',');
      ts_csv_append_number(o, r->time_q_s);
      g_string_append_c(o, ',');
      ts_csv_append_number(o, r->cost_q_usd);
    }
    g_string_append_c(o, ',');
    ts_csv_append_text(o, r->error);
    g_string_append_c(o, '\n');
  }
  return g_string_free(o, FALSE);
}

/* ---- terminal table --------------------------------------------------------------------------------- */

void
ts_sweep_result_print(const TsSweepResult *res, FILE *out, guint top, gboolean color)
{
  const TsSweepSpec *s = res->spec;
  const char *bold = color ? "\033[1m" : "", *red = color ? "\033[31m" : "", *green = color ? "\033[32m" : "",
             *yellow = color ? "\033[33m" : "", *reset = color ? "\033[0m" : "";
  gboolean has_d = !isnan(s->deadline_s), has_b = !isnan(s->budget_usd);
  guint np = s->params->len;
  guint counts[TS_VARIANT_STATUS_COUNT] = {0}, pareto = 0;
  for (guint i = 0; i < res->rows->len; i++) {
    const TsSweepRow *r = &g_array_index(res->rows, TsSweepRow, i);
    counts[r->status]++;
    pareto += r->pareto;
  }
  fprintf(out, "%strainsim %s — sweep of %s%s", bold, TS_VERSION, s->scenario, reset);
  if (s->shard_n > 0)
    fprintf(out, " (shard %u/%u)", s->shard_k, s->shard_n);
  fprintf(out, "\n\n  %" G_GUINT64_FORMAT " variants", s->variants);
  for (guint i = 0; i < np; i++) {
    const TsSweepParam *p = g_ptr_array_index(s->params, i);
    fprintf(out, "%s %u %s", i ? " x" : " =", p->values->len, p->name);
  }
  fprintf(out, "; seed %" G_GUINT64_FORMAT "\n", s->seed);
  fprintf(out, "  %u finished: %u ok, %u infeasible, %u error, %u crashed, %u timeout; Pareto front %u\n",
          res->rows->len, counts[TS_VARIANT_OK], counts[TS_VARIANT_INFEASIBLE], counts[TS_VARIANT_ERROR],
          counts[TS_VARIANT_CRASHED], counts[TS_VARIANT_TIMEOUT], pareto);
  if (!res->complete)
    fprintf(out, "  %sincomplete%s: the sweep was interrupted; these are the variants that finished\n", yellow,
            reset);
  fputc('\n', out);

  /* Column widths. */
  guint n = top == 0 ? res->rows->len : MIN(top, res->rows->len);
  guint *w = g_newa(guint, np + 1);
  const char **values = g_newa(const char *, np + 1);
  for (guint k = 0; k < np; k++)
    w[k] = (guint) strlen(((TsSweepParam *) g_ptr_array_index(s->params, k))->name);
  for (guint i = 0; i < n; i++) {
    const TsSweepRow *r = &g_array_index(res->rows, TsSweepRow, i);
    ts_sweep_spec_variant_values(s, r->index, values);
    for (guint k = 0; k < np; k++)
      w[k] = MAX(w[k], (guint) g_utf8_strlen(values[k], -1));
  }
  fprintf(out, "  %s%6s", bold, "#");
  for (guint k = 0; k < np; k++)
    fprintf(out, "  %*s", (int) w[k], ((TsSweepParam *) g_ptr_array_index(s->params, k))->name);
  fprintf(out, "  %-14s %14s  %-10s  %s%s\n", "wall time", "cost", "status", "notes", reset);
  for (guint i = 0; i < n; i++) {
    const TsSweepRow *r = &g_array_index(res->rows, TsSweepRow, i);
    ts_sweep_spec_variant_values(s, r->index, values);
    const char *c = r->recommended ? green : r->status == TS_VARIANT_OK ? "" : red;
    fprintf(out, "  %s%6" G_GUINT64_FORMAT, c, r->index);
    for (guint k = 0; k < np; k++)
      fprintf(out, "  %*s", (int) w[k], values[k]);
    g_autofree char *t = ts_sweep_row_has_result(r) ? ts_format_duration(r->total_time_s) : g_strdup("-");
    g_autofree char *cost = ts_sweep_row_has_result(r) ? ts_format_usd(r->cost_total) : g_strdup("-");
    GString *notes = g_string_new(NULL);
    if (r->pareto)
      g_string_append(notes, " pareto");
    if (has_d && r->meets_deadline)
      g_string_append(notes, " deadline");
    if (has_b && r->meets_budget)
      g_string_append(notes, " budget");
    if (r->recommended)
      g_string_append(notes, " <- recommended");
    if (r->error != NULL) {
      g_autofree char *line = g_strdup(r->error);
      char *nl = strchr(line, '\n');
      if (nl)
        *nl = '\0';
      g_string_append_printf(notes, " %s", line);
    }
    if (notes->len == 0)
      fprintf(out, "  %-14s %14s  %s", t, cost, status_names[r->status]);
    else
      fprintf(out, "  %-14s %14s  %-10s %s", t, cost, status_names[r->status], notes->str);
    g_string_free(notes, TRUE);
    fprintf(out, "%s\n", reset);
  }
  if (n < res->rows->len)
    fprintf(out, "  ... %u more (sorted by cost; --top 0 shows all, --out DIR writes them all)\n",
            res->rows->len - n);
  if (res->recommendation != NULL)
    fprintf(out, "\n  %s%s%s\n", res->recommended >= 0 ? green : yellow, res->recommendation, reset);
}

/* ---- chart ------------------------------------------------------------------------------------------ */

static TsPlot *
sweep_chart(const TsSweepResult *res)
{
  const TsSweepSpec *s = res->spec;
  g_autoptr(GArray) fx = g_array_new(FALSE, FALSE, sizeof(double)), fy = g_array_new(FALSE, FALSE, sizeof(double));
  g_autoptr(GArray) ix = g_array_new(FALSE, FALSE, sizeof(double)), iy = g_array_new(FALSE, FALSE, sizeof(double));
  g_autoptr(GPtrArray) front = g_ptr_array_new();
  guint failed = 0;
  for (guint i = 0; i < res->rows->len; i++) {
    const TsSweepRow *r = &g_array_index(res->rows, TsSweepRow, i);
    if (!ts_sweep_row_has_result(r) || isnan(r->total_time_s) || isnan(r->cost_total)) {
      failed++;
      continue;
    }
    if (r->status == TS_VARIANT_OK) {
      g_array_append_val(fx, r->total_time_s);
      g_array_append_val(fy, r->cost_total);
    } else {
      g_array_append_val(ix, r->total_time_s);
      g_array_append_val(iy, r->cost_total);
    }
    if (r->pareto)
      g_ptr_array_add(front, (gpointer) r);
  }
  g_ptr_array_sort(front, cmp_by_time);
  g_autoptr(GArray) px = g_array_new(FALSE, FALSE, sizeof(double)), py = g_array_new(FALSE, FALSE, sizeof(double));
  for (guint i = 0; i < front->len; i++) {
    const TsSweepRow *r = g_ptr_array_index(front, i);
    g_array_append_val(px, r->total_time_s);
    g_array_append_val(py, r->cost_total);
  }

  GString *sub = g_string_new(NULL);
  g_string_append_printf(sub, "%u of %" G_GUINT64_FORMAT " variants", res->rows->len, s->variants);
  for (guint i = 0; i < s->params->len; i++) {
    const TsSweepParam *p = g_ptr_array_index(s->params, i);
    g_string_append_printf(sub, "%s %s=%s", i ? "," : ":", p->name, p->spec);
  }
  g_string_append_printf(sub, " · seed %" G_GUINT64_FORMAT, s->seed);
  if (failed > 0)
    g_string_append_printf(sub, " · %u failed (not plotted)", failed);
  if (!res->complete)
    g_string_append(sub, " · INCOMPLETE");
  g_autofree char *title = g_strdup_printf("%s: wall time vs cost", s->scenario);
  TsPlot *plot = ts_plot_new(title, sub->str, 900, 520, TS_AXIS_DURATION, "wall time");
  g_string_free(sub, TRUE);
  guint p = ts_plot_add_panel(plot, "cost", TS_AXIS_USD, 1);
  g_autofree char *lf = g_strdup_printf("feasible (%u)", fx->len);
  g_autofree char *li = g_strdup_printf("infeasible (%u)", ix->len);
  g_autofree char *lp = g_strdup_printf("Pareto front (%u)", px->len);
  ts_plot_add_points(plot, p, lf, TS_COLOR_BLUE, TS_MARK_CIRCLE, (double *) fx->data, (double *) fy->data, fx->len);
  if (ix->len > 0)
    ts_plot_add_points(plot, p, li, TS_COLOR_RED, TS_MARK_CROSS, (double *) ix->data, (double *) iy->data, ix->len);
  ts_plot_add_line(plot, p, NULL, TS_COLOR_ORANGE, TS_LINE_STEP, (double *) px->data, (double *) py->data, px->len);
  ts_plot_add_points(plot, p, lp, TS_COLOR_ORANGE, TS_MARK_DOT, (double *) px->data, (double *) py->data, px->len);
  if (!isnan(s->deadline_s)) {
    g_autofree char *d = ts_format_duration(s->deadline_s);
    g_autofree char *l = g_strdup_printf("deadline %s", d);
    ts_plot_add_vrule(plot, p, l, TS_COLOR_GREEN, s->deadline_s);
  }
  if (!isnan(s->budget_usd)) {
    g_autofree char *b = format_limit_usd(s->budget_usd);
    g_autofree char *l = g_strdup_printf("budget %s", b);
    ts_plot_add_hrule(plot, p, l, TS_COLOR_GREEN, s->budget_usd);
  }
  if (res->recommended >= 0) {
    const TsSweepRow *r = &g_array_index(res->rows, TsSweepRow, res->recommended);
    ts_plot_add_points(plot, p, "recommended", TS_COLOR_GREEN, TS_MARK_RING, &r->total_time_s, &r->cost_total, 1);
    g_autofree char *note = g_strdup_printf("#%" G_GUINT64_FORMAT, r->index);
    ts_plot_add_note(plot, p, r->total_time_s, r->cost_total, note, TS_COLOR_GREEN);
  }
  return plot;
}

gboolean
ts_sweep_result_write_chart(const TsSweepResult *res, const char *png, const char *svg, GError **error)
{
  g_autoptr(TsPlot) plot = sweep_chart(res);
  return ts_plot_write(plot, png, svg, error);
}

gboolean
ts_sweep_result_write(const TsSweepResult *res, const char *dir, GError **error)
{
  if (!ts_output_dir_ensure(dir, error))
    return FALSE;
  g_autofree char *csv = ts_sweep_result_to_csv(res);
  g_autofree char *json = ts_sweep_result_to_json(res);
  g_autofree char *pcsv = g_build_filename(dir, "sweep.csv", NULL);
  g_autofree char *pjson = g_build_filename(dir, "sweep.json", NULL);
  g_autofree char *ppng = g_build_filename(dir, "sweep.png", NULL);
  g_autofree char *psvg = g_build_filename(dir, "sweep.svg", NULL);
  /* All four or none; sweep.json last: its presence means the rest is there. */
  TsAtomicSet *set = ts_atomic_set_new();
  g_autoptr(TsPlot) plot = sweep_chart(res);
  if (!ts_atomic_set_add_bytes(set, pcsv, csv, strlen(csv), error) ||
      !ts_plot_add_to_set(plot, set, ppng, psvg, error) ||
      !ts_atomic_set_add_bytes(set, pjson, json, strlen(json), error)) {
    ts_atomic_set_abort(set);
    return FALSE;
  }
  return ts_atomic_set_commit(set, error);
}

/* ---- reading back, merging -------------------------------------------------------------------------- */

static gboolean
bad_file(GError **error, const char *path, const char *what)
{
  g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "%s: not a trainsim sweep.json (%s)", path, what);
  return FALSE;
}

/* Typed members that never call json-glib's asserting getters on a node of another type (a hand-edited or
 * hostile sweep.json must end in an error naming the file, not a critical warning or a crash). */
static JsonNode *
member_value(JsonObject *o, const char *key)
{
  JsonNode *n = o ? json_object_get_member(o, key) : NULL;
  return n != NULL && JSON_NODE_HOLDS_VALUE(n) ? n : NULL;
}

static double
member_double(JsonObject *o, const char *key)
{
  JsonNode *n = member_value(o, key);
  if (n == NULL || (json_node_get_value_type(n) != G_TYPE_DOUBLE && json_node_get_value_type(n) != G_TYPE_INT64))
    return NAN;
  return json_node_get_double(n);
}

static gboolean
member_bool(JsonObject *o, const char *key)
{
  JsonNode *n = member_value(o, key);
  return n != NULL && json_node_get_value_type(n) == G_TYPE_BOOLEAN && json_node_get_boolean(n);
}

static const char *
member_string(JsonObject *o, const char *key)
{
  JsonNode *n = member_value(o, key);
  return n != NULL && json_node_get_value_type(n) == G_TYPE_STRING ? json_node_get_string(n) : NULL;
}

/* An integer member in [0, max]; FALSE when missing, fractional, negative or too large. */
static gboolean
member_uint(JsonObject *o, const char *key, guint64 max, guint64 *out)
{
  JsonNode *n = member_value(o, key);
  if (n == NULL || json_node_get_value_type(n) != G_TYPE_INT64)
    return FALSE;
  gint64 v = json_node_get_int(n);
  if (v < 0 || (guint64) v > max)
    return FALSE;
  *out = (guint64) v;
  return TRUE;
}

static JsonObject *
member_object(JsonObject *o, const char *key)
{
  JsonNode *n = o ? json_object_get_member(o, key) : NULL;
  return n != NULL && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static JsonArray *
member_array(JsonObject *o, const char *key)
{
  JsonNode *n = o ? json_object_get_member(o, key) : NULL;
  return n != NULL && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

static JsonObject *
element_object(JsonArray *a, guint i)
{
  JsonNode *n = json_array_get_element(a, i);
  return n != NULL && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

TsSweepResult *
ts_sweep_result_load_data(const char *data, gsize len, const char *file, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  if (!ts_json_parse_data(parser, data, len, file, TS_JSON_MAX_SWEEP_BYTES, TS_ERROR_USAGE, error))
    return NULL;
  JsonNode *root = json_parser_get_root(parser);
  JsonObject *o = root && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
  if (o == NULL || g_strcmp0(member_string(o, "kind"), "sweep") != 0) {
    bad_file(error, file, "no \"kind\": \"sweep\"");
    return NULL;
  }
  guint64 schema = 0, seed = 0, variants = 0;
  if (!member_uint(o, "schema_version", G_MAXINT, &schema) || schema != TS_SWEEP_SCHEMA_VERSION) {
    bad_file(error, file, "another schema_version");
    return NULL;
  }
  /* Results of another trainsim are another model's: merging them would mix two forecasts in one table. */
  const char *version = member_string(o, "trainsim_version");
  if (g_strcmp0(version, TS_VERSION) != 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "%s: written by trainsim %s, this is trainsim %s: run the shard again "
                "with this version", file, version ? version : "(unknown)", TS_VERSION);
    return NULL;
  }
  const char *scenario = member_string(o, "scenario");
  if (scenario == NULL || scenario[0] == '\0' || strchr(scenario, '/') != NULL) {
    bad_file(error, file, "no \"scenario\" file name");
    return NULL;
  }
  const char *sha = member_string(o, "scenario_sha256");
  if (sha == NULL || strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64) {
    bad_file(error, file, "no \"scenario_sha256\" (64 hex digits)");
    return NULL;
  }
  if (!member_uint(o, "seed", G_MAXINT64, &seed)) {
    bad_file(error, file, "no \"seed\" (a non-negative integer)");
    return NULL;
  }
  TsSweepSpec *spec = ts_sweep_spec_new(scenario, seed);
  spec->scenario_sha256 = g_strdup(sha);
  g_autoptr(TsSweepResult) res = ts_sweep_result_new(spec);
  JsonArray *params = member_array(o, "parameters");
  if (params == NULL) {
    bad_file(error, file, "no \"parameters\" array");
    return NULL;
  }
  for (guint i = 0; i < json_array_get_length(params); i++) {
    JsonObject *p = element_object(params, i);
    const char *name = member_string(p, "name"), *pspec = member_string(p, "spec");
    if (name == NULL || pspec == NULL) {
      bad_file(error, file, "a parameter without \"name\" and \"spec\"");
      return NULL;
    }
    g_autofree char *set = g_strdup_printf("%s=%s", name, pspec);
    if (!ts_sweep_spec_add_set(spec, set, error)) {
      g_prefix_error(error, "%s: ", file);
      return NULL;
    }
  }
  if (!member_uint(o, "variants", TS_SWEEP_MAX_VARIANTS, &variants) || variants != spec->variants) {
    bad_file(error, file, "\"variants\" does not match the parameters");
    return NULL;
  }
  JsonObject *so = member_object(o, "shard");
  if (so != NULL) {
    guint64 k = 0, n = 0;
    if (!member_uint(so, "index", G_MAXUINT, &k) || !member_uint(so, "count", G_MAXUINT, &n) || k < 1 || k > n) {
      bad_file(error, file, "a bad \"shard\"");
      return NULL;
    }
    spec->shard_k = (guint) k;
    spec->shard_n = (guint) n;
  }
  res->complete = member_bool(o, "complete");
  guint64 finished = 0;
  if (!member_uint(o, "finished", TS_SWEEP_MAX_VARIANTS, &finished)) {
    bad_file(error, file, "no \"finished\" count");
    return NULL;
  }
  spec->deadline_s = member_double(o, "deadline_s");
  spec->budget_usd = member_double(o, "budget_usd");
  guint64 replicas = 1;
  const char *quantile = member_string(o, "quantile");
  if (json_object_has_member(o, "replicas") &&
      (!member_uint(o, "replicas", 100000, &replicas) || replicas < 2 ||
       (g_strcmp0(quantile, "p50") != 0 && g_strcmp0(quantile, "p90") != 0))) {
    bad_file(error, file, "bad \"replicas\" or \"quantile\"");
    return NULL;
  }
  spec->replicas = (guint) replicas;
  spec->quantile = g_strcmp0(quantile, "p50") == 0 ? 50 : 90;
  JsonArray *runs = member_array(o, "runs");
  if (runs == NULL) {
    bad_file(error, file, "no \"runs\"");
    return NULL;
  }
  /* Every row once, in its shard, with the seed its index gives: a row copied, moved or edited is refused. */
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < json_array_get_length(runs); i++) {
    JsonObject *r = element_object(runs, i);
    if (r == NULL) {
      bad_file(error, file, "a run that is not an object");
      return NULL;
    }
    TsSweepRow row = {0};
    if (!member_uint(r, "index", spec->variants - 1, &row.index) || !member_uint(r, "seed", G_MAXINT64, &row.seed) ||
        !ts_variant_status_from_name(member_string(r, "status"), &row.status)) {
      bad_file(error, file, "a run with a bad index, seed or status");
      return NULL;
    }
    if (!ts_sweep_spec_in_shard(spec, row.index) || row.seed != ts_sweep_variant_seed(spec->seed, row.index)) {
      g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "%s: runs[%u] (variant %" G_GUINT64_FORMAT ") %s", file, i,
                  row.index, !ts_sweep_spec_in_shard(spec, row.index) ? "belongs to another shard"
                                                                       : "has another seed than its index gives");
      return NULL;
    }
    gint64 *key = g_new(gint64, 1);
    *key = (gint64) row.index;
    if (!g_hash_table_add(seen, key)) {
      g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "%s: runs[%u]: variant %" G_GUINT64_FORMAT " appears twice", file,
                  i, row.index);
      return NULL;
    }
    const char *err = member_string(r, "error");
    row.error = g_strdup(err);
    row.total_time_s = member_double(r, "total_time_s");
    JsonObject *c = member_object(r, "cost_usd");
    row.cost_total = member_double(c, "total");
    row.cost_compute = member_double(c, "compute");
    row.cost_host = member_double(c, "host");
    row.cost_storage = member_double(c, "storage");
    row.cost_network = member_double(c, "network");
    JsonObject *m = member_object(r, "peak_memory_bytes");
    row.peak_device = member_double(m, "device");
    row.device_capacity = member_double(m, "device_capacity");
    row.peak_host = member_double(m, "host");
    row.host_capacity = member_double(m, "host_capacity");
    row.peak_storage = member_double(m, "storage");
    row.storage_capacity = member_double(m, "storage_capacity");
    JsonObject *q = member_object(r, "quantile");
    row.time_q_s = q ? member_double(q, "time_s") : NAN;
    row.cost_q_usd = q ? member_double(q, "cost_usd") : NAN;
    g_array_append_val(res->rows, row);
  }
  guint64 expected = spec->shard_n == 0 ? spec->variants
                                        : (spec->variants - (spec->shard_k - 1) + spec->shard_n - 1) / spec->shard_n;
  if (finished != res->rows->len || (res->complete && res->rows->len != expected)) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "%s: holds %u of the %" G_GUINT64_FORMAT " variants of %s but says "
                "\"finished\": %" G_GUINT64_FORMAT ", \"complete\": %s (a row was added or removed)", file,
                res->rows->len, expected, spec->shard_n ? "its shard" : "the sweep", finished,
                res->complete ? "true" : "false");
    return NULL;
  }
  res->file = g_strdup(file);
  ts_sweep_result_finish(res);
  return g_steal_pointer(&res);
}

TsSweepResult *
ts_sweep_result_load(const char *path, GError **error)
{
  g_autofree char *file = g_file_test(path, G_FILE_TEST_IS_DIR) ? g_build_filename(path, "sweep.json", NULL)
                                                                  : g_strdup(path);
  g_autofree char *data = NULL;
  gsize len = 0;
  if (!ts_file_read_bounded(file, TS_JSON_MAX_SWEEP_BYTES, TS_ERROR_IO, &data, &len, error))
    return NULL;
  return ts_sweep_result_load_data(data, len, file, error);
}

/* What makes b a shard of another sweep than a, or NULL when it is one of the same. */
static const char *
sweep_difference(const TsSweepSpec *a, const TsSweepSpec *b)
{
  if (strcmp(a->scenario, b->scenario) != 0)
    return "another scenario file name";
  if (g_strcmp0(a->scenario_sha256, b->scenario_sha256) != 0)
    return "the scenario's text differs (another scenario_sha256: the script was edited between the shards)";
  if (a->seed != b->seed)
    return "another --seed";
  if (a->shard_n != b->shard_n)
    return "another number of shards";
  if (isnan(a->deadline_s) != isnan(b->deadline_s) || (!isnan(a->deadline_s) && a->deadline_s != b->deadline_s))
    return "another --deadline";
  if (isnan(a->budget_usd) != isnan(b->budget_usd) || (!isnan(a->budget_usd) && a->budget_usd != b->budget_usd))
    return "another --budget";
  if (a->replicas != b->replicas || a->quantile != b->quantile)
    return "another --replicas or --quantile";
  if (a->params->len != b->params->len || a->variants != b->variants)
    return "other --set parameters";
  for (guint i = 0; i < a->params->len; i++) {
    const TsSweepParam *p = g_ptr_array_index(a->params, i), *q = g_ptr_array_index(b->params, i);
    if (strcmp(p->name, q->name) != 0 || strcmp(p->spec, q->spec) != 0)
      return "other --set parameters";
  }
  return NULL;
}

TsSweepResult *
ts_sweep_result_merge(GPtrArray *shards, GError **error)
{
  if (shards->len == 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "nothing to merge");
    return NULL;
  }
  const TsSweepResult *first = g_ptr_array_index(shards, 0);
  guint n = first->spec->shard_n;
  if (n == 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "the first input is a whole sweep, not a shard (--shard K/N)");
    return NULL;
  }
  g_autofree gboolean *seen = g_new0(gboolean, n + 1);
  for (guint i = 0; i < shards->len; i++) {
    const TsSweepResult *s = g_ptr_array_index(shards, i);
    const char *why = sweep_difference(first->spec, s->spec);
    if (why != NULL) {
      g_set_error(error, TS_ERROR, TS_ERROR_USAGE,
                  "input %u%s%s%s is a shard of another sweep than input 1%s%s%s: %s (scenario, its text, seed, --set, "
                  "--deadline, --budget and the number of shards must all be the same)", i + 1,
                  s->file ? " (" : "", s->file ? s->file : "", s->file ? ")" : "", first->file ? " (" : "",
                  first->file ? first->file : "", first->file ? ")" : "", why);
      return NULL;
    }
    if (seen[s->spec->shard_k]) {
      g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "shard %u/%u is given twice", s->spec->shard_k, n);
      return NULL;
    }
    seen[s->spec->shard_k] = TRUE;
  }
  GString *missing = g_string_new(NULL);
  for (guint k = 1; k <= n; k++)
    if (!seen[k])
      g_string_append_printf(missing, "%s%u/%u", missing->len ? ", " : "", k, n);
  if (missing->len > 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "shard %s missing: give the output directory of every shard",
                missing->str);
    g_string_free(missing, TRUE);
    return NULL;
  }
  g_string_free(missing, TRUE);

  TsSweepSpec *spec = ts_sweep_spec_new(first->spec->scenario, first->spec->seed);
  spec->scenario_sha256 = g_strdup(first->spec->scenario_sha256);
  for (guint i = 0; i < first->spec->params->len; i++) {
    const TsSweepParam *p = g_ptr_array_index(first->spec->params, i);
    g_autofree char *set = g_strdup_printf("%s=%s", p->name, p->spec);
    gboolean ok = ts_sweep_spec_add_set(spec, set, NULL);
    g_assert(ok);
  }
  spec->deadline_s = first->spec->deadline_s;
  spec->budget_usd = first->spec->budget_usd;
  spec->replicas = first->spec->replicas;
  spec->quantile = first->spec->quantile;
  TsSweepResult *res = ts_sweep_result_new(spec);
  for (guint i = 0; i < shards->len; i++) {
    const TsSweepResult *s = g_ptr_array_index(shards, i);
    res->complete = res->complete && s->complete;
    for (guint k = 0; k < s->rows->len; k++) {
      TsSweepRow row = g_array_index(s->rows, TsSweepRow, k);
      if (!ts_sweep_spec_in_shard(s->spec, row.index)) {
        g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "shard %u/%u holds variant %" G_GUINT64_FORMAT
                    ", which belongs to another shard", s->spec->shard_k, n, row.index);
        ts_sweep_result_free(res);
        return NULL;
      }
      row.error = g_strdup(row.error);
      g_array_append_val(res->rows, row);
    }
  }
  res->complete = res->complete && res->rows->len == spec->variants;
  ts_sweep_result_finish(res);
  return res;
}
