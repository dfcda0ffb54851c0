/* A sweep's files and table: sweep.json, sweep.csv, the terminal table, the time-cost chart (sweep.png,
 * sweep.svg), and ts_sweep_result_write, which writes them as one all-or-nothing set. */
#include "sweep/sweep.h"
#include "sweep/sweep-private.h"

#include "common/ts-error.h"
#include "common/ts-json.h"
#include "output/atomic-file.h"
#include "output/chart.h"
#include "output/json-writer.h"
#include "output/timeline-csv.h"
#include "units/units.h"

#include <errno.h>
#include <math.h>
#include <string.h>

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
json_optional_bool(TsJsonWriter *w, const char *key, gboolean known, gboolean v)
{
  if (known)
    ts_json_bool(w, key, v);
  else
    ts_json_null(w, key);
}

/* With replicas: the quantile judged, and the range in summary.json's shape. */
static void
json_row_quantiles(TsJsonWriter *w, const TsSweepRow *r)
{
  ts_json_begin_object(w, "quantile");
  ts_json_number(w, "time_s", r->time_q_s);
  ts_json_number(w, "cost_usd", r->cost_q_usd);
  ts_json_end_object(w);
  ts_json_begin_object(w, "quantiles");
  static const char *const keys[3] = {"p10", "p50", "p90"};
  for (guint k = 0; k < 3; k++) {
    ts_json_begin_object(w, keys[k]);
    ts_json_number(w, "time_s", r->time_p_s[k]);
    ts_json_number(w, "cost_usd", r->cost_p_usd[k]);
    ts_json_end_object(w);
  }
  ts_json_end_object(w);
}

/* Where the text of a large file goes while it is written: to `file` whenever `out` holds more than a quarter
 * of a MiB, so that a merge of 100,000 rows never holds its 18 MB sweep.csv (docs/performance.md, section 6).
 * NULL `file`: everything stays in `out`.  The first write error is kept; later text is dropped. */
typedef struct {
  TsAtomicFile *file;
  FILE *stream; /* or this (stdout for --json) */
  GError *error;
} Spill;

static void
spill(Spill *sp, GString *out, gboolean all)
{
  if (sp == NULL || (!all && out->len < 256 * 1024))
    return;
  if (sp->error == NULL && sp->file != NULL)
    ts_atomic_file_write(sp->file, out->str, out->len, &sp->error);
  else if (sp->error == NULL && out->len > 0 && fwrite(out->str, 1, out->len, sp->stream) != out->len)
    g_set_error(&sp->error, TS_ERROR, TS_ERROR_IO, "writing the sweep's JSON: %s", g_strerror(errno));
  g_string_truncate(out, 0);
}

static void
write_json(const TsSweepResult *res, GString *out, Spill *sp)
{
  const TsSweepSpec *s = res->spec;
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
  ts_json_number(&w, "deadline_s", s->deadline_s);
  ts_json_number(&w, "budget_usd", s->budget_usd);
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
    ts_json_int(&w, ts_variant_status_get_name(i), counts[i]);
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
    ts_json_string(&w, "status", ts_variant_status_get_name(r->status));
    ts_json_string(&w, "error", r->error);
    json_optional_bool(&w, "feasible", known, r->status == TS_VARIANT_OK);
    ts_json_bool(&w, "pareto", r->pareto);
    json_optional_bool(&w, "meets_deadline", has_d, r->meets_deadline);
    /* A budget cannot be judged without a price: null, not false. */
    json_optional_bool(&w, "meets_budget", has_b && (!known || !isnan(r->cost_total)), r->meets_budget);
    ts_json_bool(&w, "recommended", r->recommended);
    ts_json_number(&w, "total_time_s", r->total_time_s);
    if (s->replicas > 1)
      json_row_quantiles(&w, r);
    ts_json_begin_object(&w, "cost_usd");
    ts_json_number(&w, "total", r->cost_total);
    ts_json_number(&w, "compute", r->cost_compute);
    ts_json_number(&w, "host", r->cost_host);
    ts_json_number(&w, "storage", r->cost_storage);
    ts_json_number(&w, "network", r->cost_network);
    ts_json_end_object(&w);
    ts_json_begin_object(&w, "peak_memory_bytes");
    ts_json_number(&w, "device", r->peak_device);
    ts_json_number(&w, "device_capacity", r->device_capacity);
    ts_json_number(&w, "host", r->peak_host);
    ts_json_number(&w, "host_capacity", r->host_capacity);
    ts_json_number(&w, "storage", r->peak_storage);
    ts_json_number(&w, "storage_capacity", r->storage_capacity);
    json_optional_bool(&w, "storage_per_host", !isnan(r->storage_per_host), r->storage_per_host > 0);
    ts_json_end_object(&w);
    ts_json_begin_object(&w, "energy"); /* the run's summary.json energy.kwh and energy.co2_kg */
    ts_json_number(&w, "kwh", r->energy_kwh);
    ts_json_number(&w, "co2_kg", r->co2_kg);
    ts_json_end_object(&w);
    ts_json_end_object(&w);
    spill(sp, out, FALSE);
  }
  ts_json_end_array(&w);
  ts_json_end_object(&w);
  spill(sp, out, TRUE);
}

char *
ts_sweep_result_to_json(const TsSweepResult *res)
{
  GString *out = g_string_new(NULL);
  write_json(res, out, NULL);
  return g_string_free(out, FALSE);
}

gboolean
ts_sweep_result_write_json(const TsSweepResult *res, FILE *out, GError **error)
{
  Spill sp = {NULL, out, NULL};
  GString *text = g_string_new(NULL);
  write_json(res, text, &sp);
  g_string_free(text, TRUE);
  if (sp.error != NULL) {
    g_propagate_error(error, sp.error);
    return FALSE;
  }
  return TRUE;
}

/* ---- CSV ------------------------------------------------------------------------------------------- */

static const char *const fixed_columns[] = {
  "index", "seed", "status", "feasible", "pareto", "meets_deadline", "meets_budget", "recommended",
  "total_time_s", "cost_total", "cost_compute", "cost_host", "cost_storage", "cost_network",
  "peak_device_bytes", "device_capacity_bytes", "peak_host_bytes", "host_capacity_bytes",
  "peak_storage_bytes", "storage_capacity_bytes", "storage_per_host", "energy_kwh", "co2_kg", "error"};

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

static void
write_csv(const TsSweepResult *res, GString *o, Spill *sp)
{
  const TsSweepSpec *s = res->spec;
  gboolean has_d = !isnan(s->deadline_s), has_b = !isnan(s->budget_usd);
  guint np = s->params->len;
  g_string_append(o, "index,seed");
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
                     "peak_storage_bytes,storage_capacity_bytes,storage_per_host,energy_kwh,co2_kg");
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
    g_string_append(o, ts_variant_status_get_name(r->status));
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
    csv_bool(o, !isnan(r->storage_per_host), r->storage_per_host > 0); /* what the storage peak is of */
    const double energy[] = {r->energy_kwh, r->co2_kg};
    for (guint k = 0; k < G_N_ELEMENTS(energy); k++) {
      g_string_append_c(o, ',');
      ts_csv_append_number(o, energy[k]);
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
    spill(sp, o, FALSE);
  }
  spill(sp, o, TRUE);
}

char *
ts_sweep_result_to_csv(const TsSweepResult *res)
{
  GString *out = g_string_new(NULL);
  write_csv(res, out, NULL);
  return g_string_free(out, FALSE);
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
      fprintf(out, "  %-14s %14s  %s", t, cost, ts_variant_status_get_name(r->status));
    else
      fprintf(out, "  %-14s %14s  %-10s %s", t, cost, ts_variant_status_get_name(r->status), notes->str);
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

/* Up to this many points the chart draws every one; beyond, its markers (2.6 px circles on a 900 x 520 image)
 * would only overprint each other, and cairo's SVG surface records each (124 MiB for 100,000): the points are
 * binned on a CHART_CELLS_X x CHART_CELLS_Y grid over their range (cells of about 4 px), one marker per cell
 * and kind at the mean of its points.  The Pareto front and the recommendation are always drawn exactly. */
#define CHART_EXACT 2000
#define CHART_CELLS_X 200
#define CHART_CELLS_Y 100

/* Bins the points of xs/ys (in place: the arrays keep one point per occupied cell, in the order the cells were
 * first met) on the grid over [x0, x1] x [y0, y1]. */
static void
bin_series(GArray *xs, GArray *ys, double x0, double x1, double y0, double y1)
{
  g_autoptr(GHashTable) where = g_hash_table_new(g_direct_hash, g_direct_equal);
  g_autoptr(GArray) n = g_array_new(FALSE, TRUE, sizeof(guint));
  guint out = 0;
  for (guint i = 0; i < xs->len; i++) {
    double x = g_array_index(xs, double, i), y = g_array_index(ys, double, i);
    guint cx = x1 > x0 ? (guint) MIN(CHART_CELLS_X - 1, floor((x - x0) / (x1 - x0) * CHART_CELLS_X)) : 0;
    guint cy = y1 > y0 ? (guint) MIN(CHART_CELLS_Y - 1, floor((y - y0) / (y1 - y0) * CHART_CELLS_Y)) : 0;
    gpointer key = GUINT_TO_POINTER(cy * CHART_CELLS_X + cx + 1), at = NULL;
    guint k;
    if (g_hash_table_lookup_extended(where, key, NULL, &at)) {
      k = GPOINTER_TO_UINT(at);
      g_array_index(xs, double, k) += x; /* sums until the end, then means */
      g_array_index(ys, double, k) += y;
    } else {
      k = out++;
      g_hash_table_insert(where, key, GUINT_TO_POINTER(k));
      g_array_set_size(n, out);
      g_array_index(xs, double, k) = x; /* k <= i: the slot's own point was read already */
      g_array_index(ys, double, k) = y;
    }
    g_array_index(n, guint, k)++;
  }
  for (guint k = 0; k < out; k++) {
    g_array_index(xs, double, k) /= g_array_index(n, guint, k);
    g_array_index(ys, double, k) /= g_array_index(n, guint, k);
  }
  g_array_set_size(xs, out);
  g_array_set_size(ys, out);
}

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
  g_ptr_array_sort(front, sweep_cmp_rows_by_time);
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
  /* The points' range, for the grid the many are binned on. */
  guint points = fx->len + ix->len;
  gboolean binned = points > CHART_EXACT;
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (guint k = 0; k < 2; k++) {
    GArray *xs = k ? ix : fx, *ys = k ? iy : fy;
    for (guint i = 0; i < xs->len; i++) {
      x0 = MIN(x0, g_array_index(xs, double, i));
      x1 = MAX(x1, g_array_index(xs, double, i));
      y0 = MIN(y0, g_array_index(ys, double, i));
      y1 = MAX(y1, g_array_index(ys, double, i));
    }
  }
  if (binned)
    g_string_append_printf(sub, " · binned: one marker per cell of a %u x %u grid, Pareto front exact",
                           CHART_CELLS_X, CHART_CELLS_Y);
  if (!res->complete)
    g_string_append(sub, " · INCOMPLETE");
  g_autofree char *title = g_strdup_printf("%s: wall time vs cost", s->scenario);
  TsPlot *plot = ts_plot_new(title, sub->str, 900, 520, TS_AXIS_DURATION, "wall time");
  g_string_free(sub, TRUE);
  guint p = ts_plot_add_panel(plot, "cost", TS_AXIS_USD, 1);
  g_autofree char *lf = g_strdup_printf("feasible (%u)", fx->len);
  g_autofree char *li = g_strdup_printf("infeasible (%u)", ix->len);
  if (binned) {
    bin_series(fx, fy, x0, x1, y0, y1);
    bin_series(ix, iy, x0, x1, y0, y1);
  }
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
    g_autofree char *b = sweep_format_limit_usd(s->budget_usd);
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

const char *const ts_sweep_file_names[] = {"sweep.csv", "sweep.png", "sweep.svg", "report.html", "sweep.json",
                                           NULL};

/* One of the set's files written as it is made, a quarter of a MiB at a time. */
static gboolean
add_streamed(TsAtomicSet *set, const char *path, const TsSweepResult *res,
             void (*write)(const TsSweepResult *, GString *, Spill *), GError **error)
{
  Spill sp = {ts_atomic_file_new(path, error), NULL, NULL};
  if (sp.file == NULL)
    return FALSE;
  GString *out = g_string_new(NULL);
  write(res, out, &sp);
  g_string_free(out, TRUE);
  if (sp.error != NULL) {
    g_propagate_error(error, sp.error);
    ts_atomic_file_abort(sp.file);
    return FALSE;
  }
  return ts_atomic_set_add(set, sp.file, error);
}

gboolean
ts_sweep_result_write(const TsSweepResult *res, const char *dir, GError **error)
{
  if (!ts_output_dir_ensure(dir, error))
    return FALSE;
  g_autofree char *pcsv = g_build_filename(dir, "sweep.csv", NULL);
  g_autofree char *pjson = g_build_filename(dir, "sweep.json", NULL);
  g_autofree char *ppng = g_build_filename(dir, "sweep.png", NULL);
  g_autofree char *psvg = g_build_filename(dir, "sweep.svg", NULL);
  g_autofree char *phtml = g_build_filename(dir, "report.html", NULL);
  /* report.html from the rows, as `trainsim report DIR` writes it again from the rows it reads back. */
  g_autofree char *html = ts_sweep_result_to_html(res);
  /* All five or none; sweep.json last: its presence means the rest is there.  sweep.csv and sweep.json are
   * written as they are made: a merge of 100,000 rows never holds their 18 and 78 MB (docs/performance.md). */
  TsAtomicSet *set = ts_atomic_set_new();
  g_autoptr(TsPlot) plot = sweep_chart(res);
  if (!add_streamed(set, pcsv, res, write_csv, error) || !ts_plot_add_to_set(plot, set, ppng, psvg, error) ||
      !ts_atomic_set_add_bytes(set, phtml, html, strlen(html), error) ||
      !add_streamed(set, pjson, res, write_json, error)) {
    ts_atomic_set_abort(set);
    return FALSE;
  }
  return ts_atomic_set_commit(set, error);
}
