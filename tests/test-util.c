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
      if (g_file_test(p, G_FILE_TEST_IS_DIR))
        test_remove_dir(p);
      else
        g_unlink(p);
    }
    g_dir_close(d);
  }
  g_rmdir(dir);
}
