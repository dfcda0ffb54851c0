/* trainsim-probe PLUGIN: the plugin probe's helper (core/plugin/probe.c).  Loads one plugin exactly as trainsim
 * would (dlopen, the descriptor's checks, the catalog, the first answers: ts_plugin_load) and writes the verdict on
 * its standard output in probe-verdict.h's format, then exits 0.  A plugin that crashes, hangs or exits in here
 * takes only this process with it: the probe names the signal, the timeout or the missing answer.
 *
 * A fresh executable and not a fork of trainsim: the child of a fork of a threaded process inherits every lock some
 * other thread held at that instant (the dynamic loader's, GLib's, the sanitizers' allocators') and waits on it for
 * ever; an exec'd process starts with none of them (docs/performance.md, "The flaky probe"). */
#include "common/ts-json-cache.h"
#include "plugin/probe-verdict.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void
write_all(int fd, const char *text)
{
  gsize len = strlen(text);
  while (len > 0) {
    ssize_t n = write(fd, text, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;
    text += n;
    len -= (gsize) n;
  }
}

int
main(int argc, char **argv)
{
  if (argc != 2) {
    fprintf(stderr, "usage: %s PLUGIN.so\n"
                    "trainsim runs this itself to probe a plugin (docs/plugin-abi.md, \"The probe's helper\").\n",
            argv[0]);
    return 2;
  }
  /* The verdict goes to the pipe that is our standard output; what the plugin prints goes nowhere. */
  int verdict_fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
  int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (verdict_fd < 0 || devnull < 0 || dup2(devnull, STDOUT_FILENO) < 0) {
    fprintf(stderr, "%s: cannot set up its output: %s\n", argv[0], g_strerror(errno));
    return 2;
  }
  close(devnull);
  /* A probe writes nothing into the user's JSON cache: the plugin is not yet trusted, and trainsim parses the
   * catalog again when it loads the plugin. */
  ts_json_cache_disable();
  GError *error = NULL;
  TsPlugin *plugin = ts_plugin_load(argv[1], &error);
  g_autofree char *verdict = ts_probe_verdict_format(plugin, error);
  write_all(verdict_fd, verdict);
  /* The verdict is written: no exit handlers or destructors of the plugin's run after it (a crash there would be
   * taken for one while loading), and nothing is freed in a process that ends now. */
  _exit(0);
}
