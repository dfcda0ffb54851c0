/* Reading a sweep.json back (a hand-edited or hostile file ends in an error naming it) and merging the
 * shards of one sweep. */
#include "sweep/sweep.h"

#include "common/ts-error.h"
#include "common/ts-json-tree.h"
#include "common/ts-json.h"
#include "output/atomic-file.h"

#include <math.h>
#include <string.h>

/* ---- reading back, merging -------------------------------------------------------------------------- */

static gboolean
bad_file(GError **error, const char *path, const char *what)
{
  g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "%s: not a trainsim sweep.json (%s)", path, what);
  return FALSE;
}

/* Typed members: a hand-edited or hostile sweep.json ends in an error naming the file. */
static double
member_double(const TsJsonValue *o, const char *key)
{
  const TsJsonValue *n = ts_json_value_get_member(o, key);
  if (n == NULL || (n->type != TS_JSON_DOUBLE && n->type != TS_JSON_INT))
    return NAN;
  return ts_json_value_get_double(n);
}

static gboolean
member_bool(const TsJsonValue *o, const char *key)
{
  const TsJsonValue *n = ts_json_value_get_member(o, key);
  return n != NULL && n->type == TS_JSON_BOOLEAN && n->u.b;
}

static const char *
member_string(const TsJsonValue *o, const char *key)
{
  return ts_json_value_get_string(ts_json_value_get_member(o, key));
}

/* An integer member in [0, max]; FALSE when missing, fractional, negative or too large. */
static gboolean
member_uint(const TsJsonValue *o, const char *key, guint64 max, guint64 *out)
{
  const TsJsonValue *n = ts_json_value_get_member(o, key);
  if (n == NULL || n->type != TS_JSON_INT)
    return FALSE;
  gint64 v = n->u.i;
  if (v < 0 || (guint64) v > max)
    return FALSE;
  *out = (guint64) v;
  return TRUE;
}

/* The numbers of a row: what is missing or not a number stays NaN (unknown). */
static void
read_row_numbers(const TsJsonValue *r, TsSweepRow *row)
{
  const char *err = member_string(r, "error");
  row->error = g_strdup(err);
  row->total_time_s = member_double(r, "total_time_s");
  const TsJsonValue *c = ts_json_value_get_object_member(r, "cost_usd");
  row->cost_total = member_double(c, "total");
  row->cost_compute = member_double(c, "compute");
  row->cost_host = member_double(c, "host");
  row->cost_storage = member_double(c, "storage");
  row->cost_network = member_double(c, "network");
  const TsJsonValue *m = ts_json_value_get_object_member(r, "peak_memory_bytes");
  row->peak_device = member_double(m, "device");
  row->device_capacity = member_double(m, "device_capacity");
  row->peak_host = member_double(m, "host");
  row->host_capacity = member_double(m, "host_capacity");
  row->peak_storage = member_double(m, "storage");
  row->storage_capacity = member_double(m, "storage_capacity");
  const TsJsonValue *per_host = ts_json_value_get_member(m, "storage_per_host");
  row->storage_per_host = per_host != NULL && per_host->type == TS_JSON_BOOLEAN ? (per_host->u.b ? 1.0 : 0.0) : NAN;
  const TsJsonValue *e = ts_json_value_get_object_member(r, "energy");
  row->energy_kwh = member_double(e, "kwh");
  row->co2_kg = member_double(e, "co2_kg");
  const TsJsonValue *q = ts_json_value_get_object_member(r, "quantile");
  row->time_q_s = q ? member_double(q, "time_s") : NAN;
  row->cost_q_usd = q ? member_double(q, "cost_usd") : NAN;
  const TsJsonValue *qs = ts_json_value_get_object_member(r, "quantiles");
  static const char *const keys[3] = {"p10", "p50", "p90"};
  for (guint k = 0; k < 3; k++) {
    const TsJsonValue *p = ts_json_value_get_object_member(qs, keys[k]);
    row->time_p_s[k] = member_double(p, "time_s");
    row->cost_p_usd[k] = member_double(p, "cost_usd");
  }
}

/* The runs as the parser hands them over (ts_json_doc_parse_streaming), before the header that judges them is
 * known: each row as read, up to the first that no header could make valid, which is remembered. */
typedef struct {
  GArray *rows;         /* TsSweepRow */
  gboolean bad;         /* rows->len is the first bad run */
  gboolean not_object;  /* ... which is not an object (else: a bad index, seed or status) */
} Runs;

static void
collect_run(const TsJsonValue *r, guint index, gpointer user_data)
{
  Runs *runs = user_data;
  if (index == 0) { /* the parser starts over */
    g_array_set_size(runs->rows, 0);
    runs->bad = runs->not_object = FALSE;
  }
  if (runs->bad)
    return;
  TsSweepRow row = {0};
  if (r->type != TS_JSON_OBJECT) {
    runs->bad = runs->not_object = TRUE;
    return;
  }
  if (!member_uint(r, "index", G_MAXINT64, &row.index) || !member_uint(r, "seed", G_MAXINT64, &row.seed) ||
      !ts_variant_status_from_name(member_string(r, "status"), &row.status)) {
    runs->bad = TRUE;
    return;
  }
  read_row_numbers(r, &row);
  g_array_append_val(runs->rows, row);
}

/* The runs checked against the header, in order, each error as the first bad run gives it: every row once, in
 * its shard, with the seed its index gives (a row copied, moved or edited is refused). */
static gboolean
check_rows(Runs *runs, TsSweepResult *res, const char *file, GError **error)
{
  const TsSweepSpec *spec = res->spec;
  /* One bit per variant of the sweep (at most TS_SWEEP_MAX_VARIANTS). */
  g_autofree guint8 *seen = g_new0(guint8, spec->variants / 8 + 1);
  for (guint i = 0; i < runs->rows->len; i++) {
    const TsSweepRow *row = &g_array_index(runs->rows, TsSweepRow, i);
    if (row->index > spec->variants - 1) {
      bad_file(error, file, "a run with a bad index, seed or status");
      return FALSE;
    }
    if (!ts_sweep_spec_in_shard(spec, row->index) || row->seed != ts_sweep_variant_seed(spec->seed, row->index)) {
      g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "%s: runs[%u] (variant %" G_GUINT64_FORMAT ") %s", file, i,
                  row->index, !ts_sweep_spec_in_shard(spec, row->index) ? "belongs to another shard"
                                                                        : "has another seed than its index gives");
      return FALSE;
    }
    if (seen[row->index / 8] & (1u << (row->index % 8))) {
      g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "%s: runs[%u]: variant %" G_GUINT64_FORMAT " appears twice", file,
                  i, row->index);
      return FALSE;
    }
    seen[row->index / 8] |= (guint8) (1u << (row->index % 8));
  }
  if (runs->bad) {
    bad_file(error, file, runs->not_object ? "a run that is not an object" : "a run with a bad index, seed or status");
    return FALSE;
  }
  /* Moved, not copied: a merge of 100,000 rows holds them once. */
  GArray *rows = res->rows;
  res->rows = runs->rows;
  runs->rows = rows;
  return TRUE;
}

/* The header of a sweep.json, then its runs (collected as the file was read) checked against it. */
static TsSweepResult *
load_header(const TsJsonValue *o, Runs *runs, const char *file, GError **error)
{
  if (o->type != TS_JSON_OBJECT || g_strcmp0(member_string(o, "kind"), "sweep") != 0) {
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
  const TsJsonValue *params = ts_json_value_get_array_member(o, "parameters");
  if (params == NULL) {
    bad_file(error, file, "no \"parameters\" array");
    return NULL;
  }
  for (guint i = 0; i < params->len; i++) {
    const TsJsonValue *p = &params->u.items[i];
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
  const TsJsonValue *so = ts_json_value_get_object_member(o, "shard");
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
  if (ts_json_value_get_member(o, "replicas") != NULL &&
      (!member_uint(o, "replicas", 100000, &replicas) || replicas < 2 ||
       (g_strcmp0(quantile, "p50") != 0 && g_strcmp0(quantile, "p90") != 0))) {
    bad_file(error, file, "bad \"replicas\" or \"quantile\"");
    return NULL;
  }
  spec->replicas = (guint) replicas;
  spec->quantile = g_strcmp0(quantile, "p50") == 0 ? 50 : 90;
  if (ts_json_value_get_array_member(o, "runs") == NULL) {
    bad_file(error, file, "no \"runs\"");
    return NULL;
  }
  if (!check_rows(runs, res, file, error))
    return NULL;
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
ts_sweep_result_load_data(const char *data, gsize len, const char *file, GError **error)
{
  Runs runs = {g_array_new(FALSE, TRUE, sizeof(TsSweepRow)), FALSE, FALSE};
  g_array_set_clear_func(runs.rows, (GDestroyNotify) ts_sweep_row_clear);
  TsSweepResult *res = NULL;
  /* The runs streamed: the tree of one run at a time, never the whole file's (docs/performance.md, section 6). */
  g_autoptr(TsJsonDoc) doc = ts_json_doc_parse_streaming(data, len, file, TS_JSON_MAX_SWEEP_BYTES, TS_ERROR_USAGE,
                                                         "runs", collect_run, &runs, error);
  if (doc != NULL)
    res = load_header(ts_json_doc_get_root(doc), &runs, file, error);
  g_array_unref(runs.rows);
  return res;
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
  for (guint i = 0; i < shards->len; i++) {
    const TsSweepResult *s = g_ptr_array_index(shards, i);
    for (guint k = 0; k < s->rows->len; k++) {
      const TsSweepRow *row = &g_array_index(s->rows, TsSweepRow, k);
      if (!ts_sweep_spec_in_shard(s->spec, row->index)) {
        g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "shard %u/%u holds variant %" G_GUINT64_FORMAT
                    ", which belongs to another shard", s->spec->shard_k, n, row->index);
        ts_sweep_spec_free(spec);
        return NULL;
      }
    }
  }
  TsSweepResult *res = ts_sweep_result_new(spec);
  for (guint i = 0; i < shards->len; i++) {
    TsSweepResult *s = g_ptr_array_index(shards, i);
    res->complete = res->complete && s->complete;
    /* Moved, not copied (the shard keeps none): 100,000 rows are held once. */
    g_array_append_vals(res->rows, s->rows->data, s->rows->len);
    g_array_set_clear_func(s->rows, NULL);
    g_array_unref(s->rows);
    s->rows = g_array_new(FALSE, TRUE, sizeof(TsSweepRow));
    g_array_set_clear_func(s->rows, (GDestroyNotify) ts_sweep_row_clear);
  }
  res->complete = res->complete && res->rows->len == spec->variants;
  ts_sweep_result_finish(res);
  return res;
}
