/* Reading a sweep.json back (a hand-edited or hostile file ends in an error naming it) and merging the
 * shards of one sweep. */
#include "sweep/sweep.h"

#include "common/ts-error.h"
#include "common/ts-json.h"
#include "output/atomic-file.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

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

/* The numbers of a row: what is missing or not a number stays NaN (unknown). */
static void
read_row_numbers(JsonObject *r, TsSweepRow *row)
{
  const char *err = member_string(r, "error");
  row->error = g_strdup(err);
  row->total_time_s = member_double(r, "total_time_s");
  JsonObject *c = member_object(r, "cost_usd");
  row->cost_total = member_double(c, "total");
  row->cost_compute = member_double(c, "compute");
  row->cost_host = member_double(c, "host");
  row->cost_storage = member_double(c, "storage");
  row->cost_network = member_double(c, "network");
  JsonObject *m = member_object(r, "peak_memory_bytes");
  row->peak_device = member_double(m, "device");
  row->device_capacity = member_double(m, "device_capacity");
  row->peak_host = member_double(m, "host");
  row->host_capacity = member_double(m, "host_capacity");
  row->peak_storage = member_double(m, "storage");
  row->storage_capacity = member_double(m, "storage_capacity");
  JsonObject *e = member_object(r, "energy");
  row->energy_kwh = member_double(e, "kwh");
  row->co2_kg = member_double(e, "co2_kg");
  JsonObject *q = member_object(r, "quantile");
  row->time_q_s = q ? member_double(q, "time_s") : NAN;
  row->cost_q_usd = q ? member_double(q, "cost_usd") : NAN;
  JsonObject *qs = member_object(r, "quantiles");
  static const char *const keys[3] = {"p10", "p50", "p90"};
  for (guint k = 0; k < 3; k++) {
    JsonObject *p = member_object(qs, keys[k]);
    row->time_p_s[k] = member_double(p, "time_s");
    row->cost_p_usd[k] = member_double(p, "cost_usd");
  }
}

/* The rows of `runs` into res: every row once, in its shard, with the seed its index gives (a row copied, moved
 * or edited is refused). */
static gboolean
read_rows(JsonArray *runs, TsSweepResult *res, const char *file, GError **error)
{
  const TsSweepSpec *spec = res->spec;
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < json_array_get_length(runs); i++) {
    JsonObject *r = element_object(runs, i);
    if (r == NULL) {
      bad_file(error, file, "a run that is not an object");
      return FALSE;
    }
    TsSweepRow row = {0};
    if (!member_uint(r, "index", spec->variants - 1, &row.index) || !member_uint(r, "seed", G_MAXINT64, &row.seed) ||
        !ts_variant_status_from_name(member_string(r, "status"), &row.status)) {
      bad_file(error, file, "a run with a bad index, seed or status");
      return FALSE;
    }
    if (!ts_sweep_spec_in_shard(spec, row.index) || row.seed != ts_sweep_variant_seed(spec->seed, row.index)) {
      g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "%s: runs[%u] (variant %" G_GUINT64_FORMAT ") %s", file, i,
                  row.index, !ts_sweep_spec_in_shard(spec, row.index) ? "belongs to another shard"
                                                                       : "has another seed than its index gives");
      return FALSE;
    }
    gint64 *key = g_new(gint64, 1);
    *key = (gint64) row.index;
    if (!g_hash_table_add(seen, key)) {
      g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "%s: runs[%u]: variant %" G_GUINT64_FORMAT " appears twice", file,
                  i, row.index);
      return FALSE;
    }
    read_row_numbers(r, &row);
    g_array_append_val(res->rows, row);
  }
  return TRUE;
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
  if (!read_rows(runs, res, file, error))
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
