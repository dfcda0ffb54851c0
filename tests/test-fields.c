/* /fields/...: the validation layer between Lua and C (scenario/fields.c) on action tables the prelude could
 * never build: whatever a script does to the prelude's globals, the host refuses values the run model cannot
 * use, naming the field. */
#include "common/ts-error.h"
#include "common/ts-text.h"
#include "scenario/fields.h"

#include <lauxlib.h>
#include <lualib.h>
#include <math.h>
#include <string.h>

/* Build the action with `code` (a Lua expression for a table, with models/data tables at hand) and check it. */
static gboolean
check(const char *code, GError **error)
{
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  g_autofree char *chunk = g_strdup_printf("local m = {params = 1e6, flops = 1e9, activations = 1e6}\n"
                                           "local d = {samples = 10, bytes = 1e6}\nreturn %s", code);
  g_assert_cmpint(luaL_dostring(L, chunk), ==, LUA_OK);
  gboolean ok = ts_fields_check_action(L, -1, error);
  lua_close(L);
  return ok;
}

static void
refused(const char *code, const char *message)
{
  g_autoptr(GError) error = NULL;
  if (check(code, &error))
    g_error("accepted: %s", code);
  g_assert_error(error, TS_ERROR, TS_ERROR_SCENARIO);
  if (strstr(error->message, message) == NULL)
    g_error("%s: \"%s\" lacks \"%s\"", code, error->message, message);
}

static void
test_accepts(void)
{
  const char *good[] = {
    "{op = 'train', where = 'x.lua:3', model = m, data = d, batch = 256, steps = 10, precision = 'bf16'}",
    ("{op = 'train', where = 'x.lua:3', model = m, data = d, batch = 256.0, epochs = 0.5, checkpoint = true, "
     "ckpt_every_s = 3600, zero = 3}"),
    "{op = 'infer', where = 'x.lua:3', model = m, batch = 1, samples = 36000}",
    "{op = 'wait', where = 'x.lua:3', duration = 0}",
    "{op = 'download', where = 'x.lua:3', dataset = d, to = 'disk', background = true}",
    "{op = 'provision', where = 'x.lua:3', target = {__id = 1}, startup = 60}",
    "{op = 'join', where = 'x.lua:3'}",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
    g_autoptr(GError) error = NULL;
    if (!check(good[i], &error))
      g_error("%s: %s", good[i], error->message);
  }
}

static void
test_refuses(void)
{
  refused("{op = 'infer', where = 'x', model = m, batch = 0.5}", "r:infer.batch holds 0.5");
  refused("{op = 'infer', where = 'x', model = m, batch = 0}", "r:infer.batch holds 0");
  refused("{op = 'infer', where = 'x', model = 'resnet50'}", "r:infer.model holds \"resnet50\"");
  refused("{op = 'train', where = 'x', model = m, data = d, batch = 2^60, steps = 1}", "r:train.batch holds");
  refused("{op = 'train', where = 'x', model = m, data = d, steps = 1}", "r:train.batch holds nothing");
  refused("{op = 'train', where = 'x', model = m, data = d, batch = 8, steps = 0/0}", "r:train.steps holds");
  refused("{op = 'train', where = 'x', model = m, data = d, batch = 8, epochs = math.huge}", "r:train.epochs holds inf");
  refused("{op = 'train', where = 'x', model = m, data = d, batch = 8, steps = 1, epochs = 1}", "not exactly one of");
  refused("{op = 'train', where = 'x', model = m, data = d, batch = 8}", "not exactly one of");
  refused("{op = 'train', where = 'x', model = m, data = d, batch = 8, steps = 1, zero = 4}", "r:train.zero holds 4");
  refused("{op = 'train', where = 'x', model = m, data = d, batch = 8, steps = 1, precision = 'fp7'}",
          "r:train.precision holds \"fp7\"");
  refused("{op = 'train', where = 'x', model = m, data = d, batch = 8, steps = 1, checkpoint = true}",
          "exactly one interval");
  refused("{op = 'train', where = 'x', model = m, data = d, batch = 8, steps = 1, device_mtbf = 0}",
          "r:train.device_mtbf holds 0");
  refused("{op = 'train', where = 'x', model = m, data = d, batch = 8, steps = 1, tp = -1}", "r:train.tp holds -1");
  refused("{op = 'train', where = 'x', model = m, data = d, batch = 8, steps = 1, load_all = 1}",
          "r:train.load_all holds 1");
  refused("{op = 'train', where = 'x', model = m, data = d, batch = 8, steps = 1, tp_overlap = 1.5}",
          "r:train.tp_overlap holds 1.5, which the run cannot use (expected a number from 0 to 1)");
  refused("{op = 'train', where = 'x', model = m, data = d, batch = 8, steps = 1, tp_overlap = 0/0}",
          "r:train.tp_overlap holds");
  refused("{op = 'train', where = 'x', model = m, data = d, batch = 8, steps = 1, sequence_parallel = 1}",
          "r:train.sequence_parallel holds 1");
  refused("{op = 'wait', where = 'x', duration = -1e300}", "r:wait.duration holds -1e+300");
  refused("{op = 'wait', where = 'x', duration = 0/0}", "r:wait.duration holds");
  refused("{op = 'wait', where = 'x'}", "r:wait.duration holds nothing");
  refused("{op = 'provision', where = 'x', target = {__id = 1.5}}", "r:provision.target.__id holds 1.5");
  refused("{op = 'provision', where = 'x', target = {__id = 1}, startup = -1}", "r:provision.startup holds -1");
  refused("{op = 'download', where = 'x', dataset = d, to = 'cloud'}", "r:download.to holds a string");
  refused("{op = 'launch', where = 'x'}", "action.op holds \"launch\"");
  refused("{where = 'x'}", "action.op holds nothing");
  refused("{op = 'join', where = 42}", "action.where holds 42");
  refused("'train'", "action is \"train\", not a table");
}

/* A string shown in a message is escaped and cut: a script's 1 MB value does not come back whole. */
static void
test_message_bounded(void)
{
  g_autoptr(GError) error = NULL;
  g_assert_false(check("{op = 'train', where = 'x', model = m, data = d, batch = 8, steps = 1, precision = "
                       "'\\27[2J' .. string.rep('A', 1000000)}", &error));
  g_assert_nonnull(strstr(error->message, "\\x1B[2J"));
  g_assert_null(strstr(error->message, "\x1b"));
  g_assert_cmpuint(strlen(error->message), <, 1000);
}

static void
test_escape(void)
{
  g_autofree char *a = ts_text_escape("x\x1b[2J\r  feasible  yes", -1, 0, FALSE);
  g_assert_cmpstr(a, ==, "x\\x1B[2J\\x0D  feasible  yes");
  g_autofree char *b = ts_text_escape("caf\xc3\xa9 \xc2\x9b" "1m \xff\n", -1, 0, TRUE);
  g_assert_cmpstr(b, ==, "caf\xc3\xa9 \\xC2\\x9B1m \\xFF\n");
  g_autofree char *c = ts_text_escape("\xc3\xa9\xc3\xa9\xc3\xa9", -1, 3, FALSE); /* cut inside a character */
  g_assert_cmpstr(c, ==, "\xc3\xa9...");
  g_assert_true(ts_text_is_safe("plain, \xc3\xa9", FALSE));
  g_assert_false(ts_text_is_safe("tab\t", FALSE));
  g_assert_true(ts_text_is_safe("tab\t\n", TRUE));
  g_assert_false(ts_text_is_safe("\x7f", TRUE));
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/fields/action-accepts", test_accepts);
  g_test_add_func("/fields/action-refuses", test_refuses);
  g_test_add_func("/fields/message-bounded", test_message_bounded);
  g_test_add_func("/text/escape", test_escape);
  return g_test_run();
}
