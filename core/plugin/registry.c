/* The registry: every plugin on the search path, loaded once per process, then read-only. */
#include "plugin/plugin-host.h"

#include "common/install-dirs.h"
#include "common/ts-error.h"
#include "common/ts-json-cache.h"
#include "common/ts-json-tree.h"
#include "common/ts-json.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

struct TsRegistry {
  GPtrArray *strings;  /* char*: calibration labels and bands the device records borrow */
  GPtrArray *plugins;  /* TsPlugin*, in search-path order */
  GPtrArray *refusals; /* char* */
  GPtrArray *calibration_refusals; /* char*: the refusals of calibration.json entries, also in refusals */
  GPtrArray *dirs;     /* char* */
  GHashTable *stacks;  /* stack name -> TsStackConstants*, from calibration.json */
  GHashTable *generations; /* casefolded generation name -> Constants*, from calibration.json (for devices
                            * outside the plugins' catalogs: ts_registry_inherit_constants) */
  struct Constants *pooled; /* calibration.json's pooled entry; NULL when no file gives one */
  /* What the calibration files give, in the order they give it (Calibration*): replayed on each plugin catalog
   * when it is loaded, at start-up or at its first use (ts_registry_calibrate_catalog). */
  GPtrArray *calibrations;
  const char *uncalibrated; /* the label of a device no file gives constants */
  TsCalibrationSummary summary; /* the fit's figures from the last calibration file with a summary */
  GPtrArray *user_catalogs; /* TsCatalog*: --catalog files, their devices moved into the plugins' catalogs */
};

static void
add_dir(GPtrArray *dirs, const char *dir)
{
  if (dir == NULL || dir[0] == '\0')
    return;
  for (guint i = 0; i < dirs->len; i++)
    if (strcmp(g_ptr_array_index(dirs, i), dir) == 0)
      return;
  g_ptr_array_add(dirs, g_strdup(dir));
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* Calibration constants (docs/validation.md, docs/model.md "Where each number comes from") live beside the
 * plugins in calibration.json, written only by the fit program (tools/fit.py), schema 2:
 *   generations[]  per device generation its fitted matmul_efficiency and memory_efficiency (and the shared
 *                  matmul_tile_fixed_s, a product's seconds per output tile outside its k loop) ("calibrated on N
 *                  runs"), or constants derived by the inheritance rule ("uncalibrated: constants derived from
 *                  Hopper"), with the label and error band the summary prints;
 *   pooled         the constants of any generation the list does not name (a user's plugin, a vendor with no
 *                  calibrated generation): "uncalibrated: constants pooled across vendors";
 *   stacks[]       per software stack ("eager", "compiled", "tuned") its constants, shared across devices.
 * TRAINSIM_CALIBRATION=path replaces every directory's calibration.json with that one file (the fit tries
 * candidate constants this way).  A file of another schema is refused with a note, never half read. */
static const char *
keep_string(TsRegistry *reg, const char *s)
{
  if (s == NULL)
    return NULL;
  char *copy = g_strdup(s);
  g_ptr_array_add(reg->strings, copy);
  return copy;
}

typedef struct Constants {
  double matmul, memory;
  double tile_fixed_s; /* matmul_tile_fixed_s: a product's seconds per output tile outside its k loop (0: none) */
  double reuse_edge;   /* matmul_reuse_edge: the output block edge of a product's operand re-reads (0: none) */
  const char *calibration, *band;
  const char *generation; /* as calibration.json spells it; NULL for the pooled entry */
  double band_error; /* the band's median |error|: 0 when the entry gives none */
} Constants;

/* A calibration.json entry (or the whole file) set aside: kept with the other refusals for `trainsim plugins`, and
 * apart, so that a command that runs scenarios can say that the devices or stacks it would have calibrated run
 * on inherited or neutral constants instead (a refused entry is never silent). */
static void G_GNUC_PRINTF(2, 3)
refuse_calibration(TsRegistry *reg, const char *format, ...)
{
  va_list args;
  va_start(args, format);
  char *text = g_strdup_vprintf(format, args);
  va_end(args);
  g_ptr_array_add(reg->refusals, text);
  g_ptr_array_add(reg->calibration_refusals, g_strdup(text));
}

/* One generations[] entry or the pooled object; FALSE (and a refusal) when unusable. */
static gboolean
read_constants(TsRegistry *reg, const char *path, const char *what, const TsJsonValue *f, Constants *c)
{
  c->matmul = ts_json_value_get_member_double(f, "matmul_efficiency", 0);
  c->memory = ts_json_value_get_member_double(f, "memory_efficiency", 0);
  if (!(c->matmul > 0 && c->matmul <= 1) || !(c->memory > 0 && c->memory <= 1)) {
    refuse_calibration(reg, "%s: %s ignored: matmul_efficiency and memory_efficiency must be in (0, 1], given "
                       "%g and %g", path, what, c->matmul, c->memory);
    return FALSE;
  }
  /* Absent in a file written before the k loop was modelled: no fixed cost per tile. */
  c->tile_fixed_s = ts_json_value_get_member_double(f, "matmul_tile_fixed_s", 0);
  if (!(c->tile_fixed_s >= 0 && c->tile_fixed_s <= 1e-3)) {
    refuse_calibration(reg, "%s: %s ignored: matmul_tile_fixed_s must be in [0, 1 ms], given %g s", path, what,
                       c->tile_fixed_s);
    return FALSE;
  }
  /* Absent in a file written before operand re-reads were modelled: each operand read once. */
  c->reuse_edge = ts_json_value_get_member_double(f, "matmul_reuse_edge", 0);
  if (!(c->reuse_edge == 0 || (c->reuse_edge >= 16 && c->reuse_edge <= 1e6))) {
    refuse_calibration(reg, "%s: %s ignored: matmul_reuse_edge must be 0 or in [16, 1e6] elements, given %g", path,
                       what, c->reuse_edge);
    return FALSE;
  }
  c->calibration = keep_string(reg, ts_json_value_get_member_string(f, "calibration", NULL));
  c->band = keep_string(reg, ts_json_value_get_member_string(f, "label", NULL));
  /* The number behind the label: a calibrated generation's leave-one-out median, else (derived, pooled) the
   * leave-one-family-out median its label quotes.  Out of (0, 10) it is not a band: none, said by the run. */
  c->band_error = ts_json_value_get_member_double(
    f, "loo_median_abs_error", ts_json_value_get_member_double(f, "median_abs_error", 0));
  if (!(c->band_error > 0 && c->band_error < 10))
    c->band_error = 0;
  if (c->calibration == NULL)
    c->calibration = keep_string(reg, "calibration.json names no origin for these constants");
  return TRUE;
}

/* One step of the calibration files, replayed on a catalog: a generation's constants for its devices, or the
 * pooled constants for every device no generation named before. */
typedef struct {
  gboolean pooled;
  Constants c;
} Calibration;

static void
apply_constants(TsDeviceRecord *rec, const Constants *c)
{
  rec->spec.matmul_efficiency = c->matmul;
  rec->spec.memory_efficiency = c->memory;
  rec->spec.matmul_tile_fixed_s = c->tile_fixed_s;
  rec->spec.matmul_reuse_edge = c->reuse_edge;
  /* The aggregate compute_time (evaluation, inference) runs at the same fraction of peak, with no batch curve
   * (small batches show up as small shapes and launch costs in the operator-level model). */
  for (int w = 0; w < TS_WORKLOAD_COUNT; w++) {
    rec->spec.efficiency[w] = c->matmul;
    rec->spec.half_batch[w] = 0;
    rec->calibration[w] = c->calibration;
    rec->band[w] = c->band;
    rec->band_error[w] = c->band_error;
  }
}

/* stacks[]: each entry's constants, checked; FALSE (and a refusal) for a bad entry. */
static void
read_stacks(TsRegistry *reg, const char *path, const TsJsonValue *stacks)
{
  for (guint i = 0; stacks != NULL && i < stacks->len; i++) {
    const TsJsonValue *f = &stacks->u.items[i];
    if (f->type != TS_JSON_OBJECT)
      f = NULL;
    const char *name = f ? ts_json_value_get_member_string(f, "stack", NULL) : NULL;
    if (name == NULL) {
      refuse_calibration(reg, "%s: stacks[%u] ignored: needs a stack name", path, i);
      continue;
    }
    TsStackConstants c = {.size = sizeof c};
    c.launch_s = ts_json_value_get_member_double(f, "launch_s", 0);
    c.fusion = ts_json_value_get_member_double(f, "fusion", 1);
    c.overhead_s = ts_json_value_get_member_double(f, "overhead_s", 0);
    c.overlap = ts_json_value_get_member_double(f, "overlap", 1);
    c.tp_overlap = ts_json_value_get_member_double(f, "tp_overlap", 0);
    if (!(c.launch_s >= 0 && c.launch_s < 1) || !(c.fusion >= 0 && c.fusion <= 1) ||
        !(c.overhead_s >= 0 && c.overhead_s < 3600) || !(c.overlap >= 0 && c.overlap <= 1) ||
        !(c.tp_overlap >= 0 && c.tp_overlap <= 1)) {
      refuse_calibration(reg, "%s: stacks[%u] (%s) ignored: launch_s in [0, 1 s), fusion, overlap and tp_overlap "
                         "in [0, 1], overhead_s in [0, 1 h); given launch_s %g, fusion %g, overlap %g, tp_overlap %g, "
                         "overhead_s %g", path, i, name, c.launch_s, c.fusion, c.overlap, c.tp_overlap, c.overhead_s);
      continue;
    }
    g_hash_table_replace(reg->stacks, g_strdup(name), g_memdup2(&c, sizeof c));
  }
}

/* A fraction from the summary, or NAN where it is absent or not a fraction an error could be (0 to 10). */
static double
summary_fraction(const TsJsonValue *s, const char *name)
{
  double v = ts_json_value_get_member_double(s, name, NAN);
  return v >= 0 && v < 10 ? v : NAN;
}

static void
read_summary(TsRegistry *reg, const TsJsonValue *s)
{
  if (s == NULL || s->type != TS_JSON_OBJECT)
    return;
  gint64 cases = ts_json_value_get_member_int(s, "cases", 0), constants = ts_json_value_get_member_int(s, "constants", 0);
  if (cases <= 0 || cases > G_MAXUINT32 || constants < 0 || constants > G_MAXUINT32)
    return;
  reg->summary = (TsCalibrationSummary) {
    .cases = (guint) cases, .constants = (guint) constants,
    .in_sample_median = summary_fraction(s, "in_sample_median_abs_error"),
    .loo_median = summary_fraction(s, "loo_median_abs_error"), .loo_max = summary_fraction(s, "loo_max_abs_error"),
    .lofo_median = summary_fraction(s, "lofo_median_abs_error")};
}

static gboolean
apply_calibration_file(TsRegistry *reg, const char *path, GError **error)
{
  if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
    if (g_getenv("TRAINSIM_CALIBRATION") != NULL && g_strcmp0(g_getenv("TRAINSIM_CALIBRATION"), path) == 0)
      refuse_calibration(reg, "%s (TRAINSIM_CALIBRATION): ignored: no such file", path);
    return TRUE;
  }
  /* Size and nesting bounded (docs/testing.md, "Limits"): a file that cannot be read is an error when
   * TRAINSIM_CALIBRATION names it (the user asked for those constants), a refusal note otherwise. */
  g_autoptr(GError) err = NULL;
  g_autoptr(TsJsonDoc) doc = ts_json_doc_load_cached(path, TS_JSON_MAX_BYTES, TS_ERROR_PLUGIN, NULL, &err);
  if (doc == NULL) {
    if (g_strcmp0(g_getenv("TRAINSIM_CALIBRATION"), path) == 0) {
      g_set_error(error, TS_ERROR, TS_ERROR_PLUGIN, "TRAINSIM_CALIBRATION: %s", err->message);
      return FALSE;
    }
    refuse_calibration(reg, "%s (ignored)", err->message);
    return TRUE;
  }
  const TsJsonValue *o = ts_json_doc_get_root(doc);
  if (o->type != TS_JSON_OBJECT || ts_json_value_get_member_int(o, "schema_version", 0) != 2) {
    refuse_calibration(reg, "%s: ignored: expected {\"schema_version\": 2, \"generations\": "
                                                   "[...], \"stacks\": [...]} as tools/fit.py writes it", path);
    return TRUE;
  }
  const TsJsonValue *generations = ts_json_value_get_array_member(o, "generations");
  const TsJsonValue *pooled = ts_json_value_get_object_member(o, "pooled");
  read_summary(reg, ts_json_value_get_object_member(o, "summary"));
  read_stacks(reg, path, ts_json_value_get_array_member(o, "stacks"));
  for (guint i = 0; generations != NULL && i < generations->len; i++) {
    const TsJsonValue *f = &generations->u.items[i];
    if (f->type != TS_JSON_OBJECT)
      f = NULL;
    const char *gen = f ? ts_json_value_get_member_string(f, "generation", NULL) : NULL;
    g_autofree char *what = g_strdup_printf("generations[%u]", i);
    Constants c;
    if (gen == NULL) {
      refuse_calibration(reg, "%s: %s ignored: needs a generation", path, what);
      continue;
    }
    if (!read_constants(reg, path, what, f, &c))
      continue;
    c.generation = keep_string(reg, gen);
    g_hash_table_replace(reg->generations, g_utf8_casefold(gen, -1), g_memdup2(&c, sizeof c));
    Calibration step = {.pooled = FALSE, .c = c};
    g_ptr_array_add(reg->calibrations, g_memdup2(&step, sizeof step));
  }
  Constants c;
  if (pooled != NULL && read_constants(reg, path, "pooled", pooled, &c)) {
    c.generation = NULL;
    g_free(reg->pooled);
    reg->pooled = g_memdup2(&c, sizeof c);
    Calibration step = {.pooled = TRUE, .c = c};
    g_ptr_array_add(reg->calibrations, g_memdup2(&step, sizeof step));
  }
  return TRUE;
}

void
ts_registry_calibrate_catalog(const TsRegistry *registry, TsCatalog *catalog)
{
  for (guint i = 0; i < registry->calibrations->len; i++) {
    const Calibration *step = g_ptr_array_index(registry->calibrations, i);
    for (guint d = 0; d < catalog->devices->len; d++) {
      TsDeviceRecord *rec = g_ptr_array_index(catalog->devices, d);
      if (step->pooled ? rec->calibration[0] == NULL : g_ascii_strcasecmp(rec->generation, step->c.generation) == 0)
        apply_constants(rec, &step->c);
    }
  }
  /* What a device runs on when no calibration file gives it constants at all: said, never silent. */
  for (guint d = 0; d < catalog->devices->len; d++) {
    TsDeviceRecord *rec = g_ptr_array_index(catalog->devices, d);
    for (int w = 0; w < TS_WORKLOAD_COUNT; w++)
      if (rec->calibration[w] == NULL)
        rec->calibration[w] = registry->uncalibrated;
  }
}

gboolean
ts_registry_get_stack_constants(const TsRegistry *registry, const char *stack, TsStackConstants *constants)
{
  const TsStackConstants *c = g_hash_table_lookup(registry->stacks, stack);
  /* No calibration file names the stack: today's model before stack constants (no launch cost, no fusion, no
   * overhead, communication hidden under the whole window, no tensor-parallel traffic hidden), and FALSE so
   * the caller can say so. */
  TsStackConstants none = {.size = sizeof none, .fusion = 1.0, .overlap = 1.0};
  *constants = c != NULL ? *c : none;
  constants->size = sizeof *constants;
  return c != NULL;
}

static void
scan_dir(TsRegistry *reg, const char *dir)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  if (d == NULL)
    return;
  /* Sorted, so which of two same-named plugins wins never depends on readdir order. */
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  const char *entry;
  while ((entry = g_dir_read_name(d)) != NULL)
    if (g_str_has_suffix(entry, ".so"))
      g_ptr_array_add(names, g_strdup(entry));
  g_ptr_array_sort(names, compare_names);
  for (guint i = 0; i < names->len; i++) {
    g_autofree char *path = g_build_filename(dir, g_ptr_array_index(names, i), NULL);
    g_autoptr(GError) err = NULL;
    TsPlugin *plugin = ts_plugin_load_checked(path, &err);
    if (plugin == NULL) {
      g_ptr_array_add(reg->refusals, g_strdup(err->message));
      continue;
    }
    const TsPlugin *earlier = ts_registry_find(reg, plugin->name);
    if (earlier != NULL) {
      g_ptr_array_add(reg->refusals, g_strdup_printf("plugin %s ignored: \"%s\" is already loaded from %s", path,
                                                     plugin->name, earlier->path));
      ts_plugin_free(plugin);
      continue;
    }
    g_ptr_array_add(reg->plugins, plugin);
  }
}

TsRegistry *
ts_registry_new(const char *const *dirs, GError **error)
{
  TsRegistry *reg = g_new0(TsRegistry, 1);
  reg->strings = g_ptr_array_new_with_free_func(g_free);
  reg->plugins = g_ptr_array_new_with_free_func((GDestroyNotify) ts_plugin_free);
  reg->refusals = g_ptr_array_new_with_free_func(g_free);
  reg->calibration_refusals = g_ptr_array_new_with_free_func(g_free);
  reg->dirs = g_ptr_array_new_with_free_func(g_free);
  reg->stacks = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  reg->generations = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  reg->user_catalogs = g_ptr_array_new_with_free_func((GDestroyNotify) ts_catalog_free);
  reg->calibrations = g_ptr_array_new_with_free_func(g_free);
  reg->uncalibrated = keep_string(reg, "uncalibrated: no constants in any calibration.json; the roofline assumes "
                                       "matmul efficiency 0.5 and the full memory bandwidth, and the stacks no "
                                       "launch cost, fusion or overhead (docs/model.md)");
  if (dirs != NULL) {
    for (const char *const *d = dirs; *d != NULL; d++)
      add_dir(reg->dirs, *d);
  } else {
    /* The build tree first, so a developer's fresh build never runs an older installed plugin; but only for
     * a binary of that build tree: an installed trainsim never loads a build tree's plugins. */
    if (ts_install_is_build_tree()) {
      if (g_file_test(TS_BUILD_PLUGIN_DIR, G_FILE_TEST_IS_DIR))
        add_dir(reg->dirs, TS_BUILD_PLUGIN_DIR);
    } else {
      g_autofree char *installed = ts_install_get_plugin_dir(); /* found from the executable (DESTDIR, moved) */
      add_dir(reg->dirs, installed);
    }
    add_dir(reg->dirs, TS_INSTALL_PLUGIN_DIR);
    const char *env = g_getenv("TRAINSIM_PLUGIN_PATH");
    if (env != NULL) {
      g_auto(GStrv) parts = g_strsplit(env, G_SEARCHPATH_SEPARATOR_S, -1);
      for (char **p = parts; *p != NULL; p++)
        add_dir(reg->dirs, *p);
    }
  }
  for (guint i = 0; i < reg->dirs->len; i++)
    scan_dir(reg, g_ptr_array_index(reg->dirs, i));
  const char *calibration = g_getenv("TRAINSIM_CALIBRATION");
  if (calibration != NULL && calibration[0] != '\0') {
    if (!apply_calibration_file(reg, calibration, error)) {
      ts_registry_free(reg);
      return NULL;
    }
  } else {
    for (guint i = 0; i < reg->dirs->len; i++) {
      g_autofree char *path = g_build_filename(g_ptr_array_index(reg->dirs, i), "calibration.json", NULL);
      gboolean ok = apply_calibration_file(reg, path, NULL);
      g_assert(ok);
    }
  }
  /* The catalogs loaded now (plugins probed afresh) take their constants here; a deferred one when it is loaded. */
  for (guint p = 0; p < reg->plugins->len; p++) {
    TsPlugin *plugin = g_ptr_array_index(reg->plugins, p);
    plugin->registry_ = reg;
    if (plugin->catalog_path_ == NULL && plugin->catalog_ != NULL)
      ts_registry_calibrate_catalog(reg, plugin->catalog_);
  }
  if (reg->plugins->len == 0) {
    GString *where = g_string_new(NULL);
    for (guint i = 0; i < reg->dirs->len; i++)
      g_string_append_printf(where, "%s%s", i ? ", " : "", (char *) g_ptr_array_index(reg->dirs, i));
    g_set_error(error, TS_ERROR, TS_ERROR_PLUGIN, "no usable plugin found in %s%s%s", where->str,
                reg->refusals->len ? "; " : "",
                reg->refusals->len ? (char *) g_ptr_array_index(reg->refusals, 0) : "");
    g_string_free(where, TRUE);
    ts_registry_free(reg);
    return NULL;
  }
  return reg;
}

void
ts_registry_free(TsRegistry *registry)
{
  if (registry == NULL)
    return;
  g_ptr_array_unref(registry->strings);
  g_ptr_array_unref(registry->plugins);
  g_ptr_array_unref(registry->refusals);
  g_ptr_array_unref(registry->calibration_refusals);
  g_ptr_array_unref(registry->dirs);
  g_hash_table_unref(registry->stacks);
  g_hash_table_unref(registry->generations);
  g_free(registry->pooled);
  g_ptr_array_unref(registry->user_catalogs);
  g_ptr_array_unref(registry->calibrations);
  g_free(registry);
}

const TsPlugin *
ts_registry_find(const TsRegistry *registry, const char *name)
{
  for (guint i = 0; i < registry->plugins->len; i++) {
    const TsPlugin *p = g_ptr_array_index(registry->plugins, i);
    if (strcmp(p->name, name) == 0)
      return p;
  }
  return NULL;
}

guint
ts_registry_get_count(const TsRegistry *registry)
{
  return registry->plugins->len;
}

const TsPlugin *
ts_registry_get(const TsRegistry *registry, guint index)
{
  return index < registry->plugins->len ? g_ptr_array_index(registry->plugins, index) : NULL;
}

const GPtrArray *
ts_registry_get_refusals(const TsRegistry *registry)
{
  return registry->refusals;
}

const GPtrArray *
ts_registry_get_calibration_refusals(const TsRegistry *registry)
{
  return registry->calibration_refusals;
}

const TsCalibrationSummary *
ts_registry_get_calibration_summary(const TsRegistry *registry)
{
  return &registry->summary;
}

const GPtrArray *
ts_registry_get_dirs(const TsRegistry *registry)
{
  return registry->dirs;
}

/* The refusal that explains why `name` is missing, if one mentions it. */
static const char *
find_refusal(const TsRegistry *registry, const char *name)
{
  g_autofree char *needle = g_strdup_printf("/%s.so", name);
  for (guint i = 0; i < registry->refusals->len; i++) {
    const char *r = g_ptr_array_index(registry->refusals, i);
    if (strstr(r, needle) != NULL)
      return r;
  }
  return NULL;
}

const TsDeviceRecord *
ts_registry_find_device(const TsRegistry *registry, const char *plugin_name, const char *sku,
                        const TsPlugin **owner, GError **error)
{
  GString *known = g_string_new(NULL);
  for (guint i = 0; i < registry->plugins->len; i++) {
    const TsPlugin *p = g_ptr_array_index(registry->plugins, i);
    if (plugin_name != NULL && strcmp(p->name, plugin_name) != 0)
      continue;
    const TsCatalog *catalog = ts_plugin_get_catalog(p); /* loaded here if it was deferred */
    if (catalog == NULL && plugin_name != NULL && ts_plugin_get_catalog_error(p) != NULL) {
      /* As if it had been refused at start-up, where an unchanged file would have been. */
      g_set_error(error, TS_ERROR, TS_ERROR_PLUGIN, "no plugin named \"%s\" is loaded: %s", plugin_name,
                  ts_plugin_get_catalog_error(p));
      g_string_free(known, TRUE);
      return NULL;
    }
    if (catalog == NULL)
      continue;
    const TsDeviceRecord *d = ts_catalog_find_device(catalog, sku);
    if (d != NULL) {
      if (owner != NULL)
        *owner = p;
      g_string_free(known, TRUE);
      return d;
    }
    for (guint k = 0; k < catalog->devices->len; k++)
      g_string_append_printf(known, "%s%s", known->len ? ", " : "",
                             ((TsDeviceRecord *) g_ptr_array_index(catalog->devices, k))->sku);
  }
  if (plugin_name != NULL && ts_registry_find(registry, plugin_name) == NULL) {
    const char *why = find_refusal(registry, plugin_name);
    g_set_error(error, TS_ERROR, TS_ERROR_PLUGIN, "no plugin named \"%s\" is loaded%s%s", plugin_name,
                why ? ": " : " (see `trainsim plugins`)", why ? why : "");
  } else {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "unknown %s SKU \"%s\"; known: %s",
                plugin_name ? plugin_name : "device", sku, known->str);
  }
  g_string_free(known, TRUE);
  return NULL;
}

const TsDeviceRecord *
ts_registry_find_host_cpu(const TsRegistry *registry, const char *sku, const TsPlugin **owner, GError **error)
{
  GString *known = g_string_new(NULL);
  for (guint i = 0; i < registry->plugins->len; i++) {
    const TsPlugin *p = g_ptr_array_index(registry->plugins, i);
    const TsCatalog *catalog = ts_plugin_get_catalog(p);
    if (catalog == NULL || !catalog->host_role)
      continue;
    const TsDeviceRecord *d = ts_catalog_find_device(catalog, sku);
    if (d != NULL) {
      if (owner != NULL)
        *owner = p;
      g_string_free(known, TRUE);
      return d;
    }
    for (guint k = 0; k < catalog->devices->len; k++)
      g_string_append_printf(known, "%s%s", known->len ? ", " : "",
                             ((TsDeviceRecord *) g_ptr_array_index(catalog->devices, k))->sku);
  }
  if (known->len == 0)
    g_set_error(error, TS_ERROR, TS_ERROR_PLUGIN, "no loaded plugin's catalog has the host role (see `trainsim plugins`)");
  else
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "unknown host CPU SKU \"%s\"; known: %s", sku, known->str);
  g_string_free(known, TRUE);
  return NULL;
}

const TsInstanceRecord *
ts_registry_find_instance(const TsRegistry *registry, const char *name, const TsPlugin **owner)
{
  for (guint i = 0; i < registry->plugins->len; i++) {
    const TsPlugin *p = g_ptr_array_index(registry->plugins, i);
    const TsCatalog *catalog = ts_plugin_get_catalog(p);
    if (catalog == NULL)
      continue;
    const TsInstanceRecord *r = ts_catalog_find_instance(catalog, name);
    if (r != NULL) {
      if (owner != NULL)
        *owner = p;
      return r;
    }
  }
  return NULL;
}

/* A device from outside the plugins' catalogs (a scenario's define, a --catalog file) is never calibrated: no
 * case in the fit ran on it.  Its constants follow the inheritance rule of docs/model.md ("Calibration
 * inheritance"): those of the generation it names when calibration.json has that generation (calibrated, or
 * itself derived), else the pooled ones; its band is the pooled entry's, the widest leave-one-family-out
 * median, because nothing measured says how far this device is from the generation it borrows from. */
gboolean
ts_registry_inherit_constants(const TsRegistry *registry, const char *generation, const char *what,
                              TsDeviceRecord *record, char **label, GError **error)
{
  const Constants *c = NULL;
  if (generation != NULL) {
    g_autofree char *key = g_utf8_casefold(generation, -1);
    c = g_hash_table_lookup(registry->generations, key);
  }
  if (generation != NULL && c == NULL && error != NULL) {
    GString *known = g_string_new(NULL);
    g_autoptr(GList) values = g_hash_table_get_values(registry->generations);
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    for (GList *l = values; l != NULL; l = l->next)
      g_ptr_array_add(names, (gpointer) ((const Constants *) l->data)->generation);
    g_ptr_array_sort(names, compare_names);
    for (guint i = 0; i < names->len; i++)
      g_string_append_printf(known, "%s%s", i ? ", " : "", (const char *) g_ptr_array_index(names, i));
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "generation \"%s\" has no constants in calibration.json; known: "
                "%s (leave generation out for the constants pooled across vendors)", generation,
                known->len ? known->str : "none");
    g_string_free(known, TRUE);
    return FALSE;
  }
  const Constants *from = c != NULL ? c : registry->pooled;
  if (from == NULL) {
    *label = g_strdup_printf("uncalibrated: %s; no constants in any calibration.json, the roofline assumes matmul "
                             "efficiency 0.5 and the full memory bandwidth (docs/model.md)", what);
    for (int w = 0; w < TS_WORKLOAD_COUNT; w++) {
      record->calibration[w] = *label;
      record->band[w] = NULL;
      record->band_error[w] = 0;
    }
    return TRUE;
  }
  Constants mine = *from;
  if (c != NULL)
    *label = g_strdup_printf("uncalibrated: %s; constants of %s (%s)", what, c->generation, c->calibration);
  else if (generation != NULL)
    *label = g_strdup_printf("uncalibrated: %s; generation \"%s\" has none in calibration.json, constants pooled "
                             "across vendors", what, generation);
  else
    *label = g_strdup_printf("uncalibrated: %s; constants pooled across vendors", what);
  mine.calibration = *label;
  mine.band = registry->pooled != NULL ? registry->pooled->band : NULL;
  mine.band_error = registry->pooled != NULL ? registry->pooled->band_error : 0;
  apply_constants(record, &mine);
  return TRUE;
}

/* Moves the sources of `from` into `into`: a key both use must name the same document. */
static gboolean
merge_sources(TsCatalog *into, TsCatalog *from, GError **error)
{
  g_autoptr(GList) keys = g_hash_table_get_keys(from->sources);
  keys = g_list_sort(keys, (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next) {
    const TsSource *mine = g_hash_table_lookup(from->sources, l->data);
    const TsSource *theirs = g_hash_table_lookup(into->sources, l->data);
    if (theirs != NULL && g_strcmp0(theirs->url, mine->url) != 0) {
      g_set_error(error, TS_ERROR, TS_ERROR_CATALOG, "%s: source \"%s\" is already %s's source %s; give this one "
                  "another key", from->path, mine->key, into->path, theirs->url ? theirs->url : "(no url)");
      return FALSE;
    }
  }
  for (GList *l = keys; l != NULL; l = l->next) {
    if (g_hash_table_contains(into->sources, l->data))
      continue;
    gpointer key, value;
    g_hash_table_steal_extended(from->sources, l->data, &key, &value);
    g_hash_table_insert(into->sources, key, value);
  }
  return TRUE;
}

gboolean
ts_registry_add_catalog(TsRegistry *registry, const char *path, GError **error)
{
  TsCatalog *user = ts_catalog_load(path, NULL, error);
  if (user == NULL)
    return FALSE;
  g_ptr_array_add(registry->user_catalogs, user); /* kept for provenance (path, sha256) */
  TsPlugin *plugin = NULL;
  for (guint i = 0; i < registry->plugins->len; i++)
    if (strcmp(((TsPlugin *) g_ptr_array_index(registry->plugins, i))->name, user->plugin) == 0)
      plugin = g_ptr_array_index(registry->plugins, i);
  TsCatalog *into = plugin != NULL ? ts_plugin_get_catalog_mutable(plugin) : NULL;
  if (plugin == NULL || into == NULL) {
    g_set_error(error, TS_ERROR, TS_ERROR_CATALOG, "%s: \"catalog\": \"%s\" is %s (see `trainsim plugins`)", path,
                user->plugin, plugin == NULL ? "no loaded plugin" : "a plugin without a catalog to extend");
    return FALSE;
  }
  if (user->host_role != into->host_role) {
    g_set_error(error, TS_ERROR, TS_ERROR_CATALOG, "%s: \"role\" differs from %s's", path, into->path);
    return FALSE;
  }
  /* A user catalog adds devices and instances; it never replaces what a plugin's catalog states. */
  for (guint i = 0; i < user->devices->len; i++) {
    const TsDeviceRecord *d = g_ptr_array_index(user->devices, i);
    if (ts_catalog_find_device(into, d->sku) != NULL) {
      g_set_error(error, TS_ERROR, TS_ERROR_CATALOG, "%s: sku \"%s\" is already in %s; a user catalog adds devices, "
                  "it does not replace them (give it another sku)", path, d->sku, into->path);
      return FALSE;
    }
  }
  for (guint i = 0; i < user->instances->len; i++) {
    const TsInstanceRecord *r = g_ptr_array_index(user->instances, i);
    if (ts_registry_find_instance(registry, r->name, NULL) != NULL) {
      g_set_error(error, TS_ERROR, TS_ERROR_CATALOG, "%s: instance \"%s\" is already in a plugin's catalog; give it "
                  "another name", path, r->name);
      return FALSE;
    }
    if (ts_catalog_find_device(user, r->device_sku) == NULL && ts_catalog_find_device(into, r->device_sku) == NULL) {
      g_set_error(error, TS_ERROR, TS_ERROR_CATALOG, "%s: instance \"%s\": device \"%s\" is in neither this file nor "
                  "%s", path, r->name, r->device_sku, into->path);
      return FALSE;
    }
  }
  if (!merge_sources(into, user, error))
    return FALSE;
  g_autofree char *base = g_path_get_basename(user->path); /* no host paths in outputs */
  g_autofree char *what = g_strdup_printf("from the user catalog %s", base);
  while (user->devices->len > 0) {
    TsDeviceRecord *d = g_ptr_array_steal_index(user->devices, 0);
    char *label = NULL;
    ts_registry_inherit_constants(registry, d->generation, what, d, &label, NULL);
    g_ptr_array_add(registry->strings, label);
    d->origin = user;
    g_ptr_array_add(into->devices, d);
  }
  while (user->instances->len > 0)
    g_ptr_array_add(into->instances, g_ptr_array_steal_index(user->instances, 0));
  return TRUE;
}
