/* Helpers the test programs share: spawning the trainsim binary and collecting its output, the files it
 * leaves behind (test-cli, test-outputs, test-sweep, linked from test-util.c), the shipped JSON files
 * (test-json-tree, test-json-cache), and assert_has. */
#ifndef TS_TEST_UTIL_H
#define TS_TEST_UTIL_H

#include <glib.h>
#include <string.h>

typedef struct {
  int status; /* exit status, or 128 + the signal that ended it */
  char *out;
  char *err;
  double seconds;
} TestResult;

void test_result_clear(TestResult *r);

/* argv (NULL-terminated) in cwd (NULL: this directory), with env_extra's name, value pairs (NULL-terminated,
 * or NULL) set on top of this process's environment.  Fails the test if the process cannot be started. */
TestResult test_spawn(const char *cwd, const char *const *argv, const char *const *env_extra);

/* The trainsim binary at path trainsim with args (NULL-terminated), as test_spawn. */
TestResult test_run_trainsim(const char *trainsim, const char *cwd, const char *const *args,
                             const char *const *env_extra);

/* The path of scenarios/NAME in the source tree. */
char *test_scenario_path(const char *name);

/* The contents of DIR/NAME; fails the test if it cannot be read. */
char *test_read_file(const char *dir, const char *name, gsize *len);

/* Removes DIR and everything below it; a link is removed, never followed. */
void test_remove_dir(const char *dir);

/* Called for each JSON file test_foreach_json_file reads: its path, its bytes (NUL-terminated) and whether the
 * project ships it (plugins/) or it is a test fixture (tests/fixtures/). */
typedef void (*TestJsonFileFunc)(const char *path, const char *text, gsize len, gboolean shipped, gpointer data);

/* Every *.json file in plugins/ and its folders (calibration.json and each plugin's catalog), then in
 * tests/fixtures/catalogs and tests/fixtures/plugins, read whole and passed to fn; fails the test if one cannot be
 * read.  Returns how many it passed. */
guint test_foreach_json_file(TestJsonFileFunc fn, gpointer data);

/* Fails the test with both strings shown when `needle` is not in `haystack`. */
#define assert_has(haystack, needle)                                                                            \
  G_STMT_START                                                                                                  \
  {                                                                                                             \
    const char *h_ = (haystack), *n_ = (needle);                                                                \
    if (h_ == NULL || strstr(h_, n_) == NULL) {                                                                 \
      g_autofree char *m_ = g_strdup_printf("expected \"%s\" in \"%s\"", n_, h_ ? h_ : "(null)");               \
      g_assertion_message(G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, m_);                                     \
    }                                                                                                           \
  }                                                                                                             \
  G_STMT_END

#endif
