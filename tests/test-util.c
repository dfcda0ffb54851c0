#include "test-util.h"

#include <glib/gstdio.h>
#include <sys/wait.h>

void
test_result_clear(TestResult *r)
{
  g_free(r->out);
  g_free(r->err);
}

TestResult
test_spawn(const char *cwd, const char *const *argv, const char *const *env_extra)
{
  g_auto(GStrv) env = g_get_environ();
  for (const char *const *e = env_extra; e && *e; e += 2)
    env = g_environ_setenv(env, e[0], e[1], TRUE);
  TestResult r = {0};
  int wait_status = 0;
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time();
  gboolean ok = g_spawn_sync(cwd, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err, &wait_status,
                             &error);
  g_assert_no_error(error);
  g_assert_true(ok);
  r.seconds = (g_get_monotonic_time() - t0) / 1e6;
  /* A crash shows as 128 + signal, which no test accepts as an exit status. */
  r.status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
  return r;
}

TestResult
test_run_trainsim(const char *trainsim, const char *cwd, const char *const *args, const char *const *env_extra)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, (gpointer) trainsim);
  for (const char *const *a = args; *a; a++)
    g_ptr_array_add(argv, (gpointer) *a);
  g_ptr_array_add(argv, NULL);
  return test_spawn(cwd, (const char *const *) argv->pdata, env_extra);
}

char *
test_scenario_path(const char *name)
{
  return g_build_filename(TS_SOURCE_DIR, "scenarios", name, NULL);
}

char *
test_read_file(const char *dir, const char *name, gsize *len)
{
  g_autofree char *path = g_build_filename(dir, name, NULL);
  char *text = NULL;
  g_autoptr(GError) error = NULL;
  if (!g_file_get_contents(path, &text, len, &error))
    g_error("%s: %s", path, error->message);
  return text;
}

void
test_remove_dir(const char *dir)
{
  GDir *d = g_dir_open(dir, 0, NULL);
  if (d != NULL) {
    const char *n;
    while ((n = g_dir_read_name(d)) != NULL) {
      g_autofree char *p = g_build_filename(dir, n, NULL);
      if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
        test_remove_dir(p);
      else
        g_unlink(p);
    }
    g_dir_close(d);
  }
  g_rmdir(dir);
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* The *.json files directly in dir, sorted by name so that a failure names the same file on every machine. */
static guint
each_json_in(const char *dir, gboolean shipped, TestJsonFileFunc fn, gpointer data)
{
  g_autoptr(GDir) gd = g_dir_open(dir, 0, NULL);
  if (gd == NULL)
    return 0;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  for (const char *name; (name = g_dir_read_name(gd)) != NULL;)
    if (g_str_has_suffix(name, ".json"))
      g_ptr_array_add(names, g_strdup(name));
  g_ptr_array_sort(names, compare_names);
  for (guint i = 0; i < names->len; i++) {
    g_autofree char *path = g_build_filename(dir, g_ptr_array_index(names, i), NULL);
    g_autofree char *text = NULL;
    gsize len = 0;
    g_autoptr(GError) error = NULL;
    if (!g_file_get_contents(path, &text, &len, &error))
      g_error("%s: %s", path, error->message);
    fn(path, text, len, shipped, data);
  }
  return names->len;
}

guint
test_foreach_json_file(TestJsonFileFunc fn, gpointer data)
{
  /* plugins/ itself (calibration.json) and each plugin's folder (its catalog), found rather than listed so that
   * a new plugin's catalog is read too. */
  g_autofree char *plugins = g_build_filename(TS_SOURCE_DIR, "plugins", NULL);
  guint files = each_json_in(plugins, TRUE, fn, data);
  g_autoptr(GDir) gd = g_dir_open(plugins, 0, NULL);
  g_assert_nonnull(gd);
  g_autoptr(GPtrArray) subdirs = g_ptr_array_new_with_free_func(g_free);
  for (const char *name; (name = g_dir_read_name(gd)) != NULL;) {
    char *sub = g_build_filename(plugins, name, NULL);
    if (g_file_test(sub, G_FILE_TEST_IS_DIR))
      g_ptr_array_add(subdirs, sub);
    else
      g_free(sub);
  }
  g_ptr_array_sort(subdirs, compare_names);
  for (guint i = 0; i < subdirs->len; i++)
    files += each_json_in(g_ptr_array_index(subdirs, i), TRUE, fn, data);
  static const char *const fixtures[] = {"tests/fixtures/catalogs", "tests/fixtures/plugins"};
  for (gsize i = 0; i < G_N_ELEMENTS(fixtures); i++) {
    g_autofree char *dir = g_build_filename(TS_SOURCE_DIR, fixtures[i], NULL);
    files += each_json_in(dir, FALSE, fn, data);
  }
  return files;
}
