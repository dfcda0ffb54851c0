/* The sandbox's CPU-time backstop (sandbox.c, "CPU-time backstop"): a thread that polls the CPU clock of
 * the thread that created the sandbox, flags a run past cpu_limit_s for the count hook to kill, and ends
 * the process when the run is still stuck in one C call cpu_grace_s later. */
#include "scenario/sandbox-private.h"

#include "common/ts-error.h"

#include <pthread.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

#define WATCHDOG_PERIOD_US (50 * G_TIME_SPAN_MILLISECOND) /* how often the watchdog reads the CPU clock */
/* The watchdog's stack: it calls clock_gettime, futexes and, at the very end, g_snprintf into 512 bytes. */
#define WATCHDOG_STACK_BYTES (256 * 1024)


static gint64
thread_cpu_ns(TsSandbox *sb)
{
  struct timespec ts;
  if (clock_gettime(sb->cpu_clock, &ts) != 0)
    return -1;
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT(1000000000) + ts.tv_nsec;
}

static gpointer
watchdog_main(gpointer data)
{
  TsSandbox *sb = data;
  const gint64 limit_ns = (gint64) (sb->limits.cpu_limit_s * 1e9);
  const gint64 grace_ns = (gint64) (MAX(sb->limits.cpu_grace_s, 0.0) * 1e9);
  gint64 last = thread_cpu_ns(sb);
  gint64 in_runs = 0; /* CPU time of the thread while a run was in progress (sampled) */
  gboolean flagged = FALSE;
  gint stuck_seq = 0;
  gint64 stuck_since = 0;

  g_mutex_lock(&sb->wd_mutex);
  while (!sb->wd_stop) {
    gint64 deadline = g_get_monotonic_time() + WATCHDOG_PERIOD_US;
    while (!sb->wd_stop && g_cond_wait_until(&sb->wd_cond, &sb->wd_mutex, deadline))
      ; /* signalled or spurious: check wd_stop, keep waiting until the deadline */
    if (sb->wd_stop)
      break;
    gint64 now = thread_cpu_ns(sb);
    if (now < 0)
      continue; /* the creating thread is gone */
    if (last < 0)
      last = now;
    gint64 delta = now - last;
    last = now;
    if (g_atomic_int_compare_and_exchange(&sb->cpu_reset, 1, 0))
      in_runs = 0; /* a sandbox kept for another scenario run (ts_sandbox_reset): its limit starts again */
    gboolean running = g_atomic_int_get(&sb->running) != 0;
    gint seq = g_atomic_int_get(&sb->call_seq);
    if (running)
      in_runs += delta;
    if (!flagged) {
      if (in_runs > limit_ns) {
        flagged = TRUE;
        g_atomic_int_set(&sb->cpu_exceeded, 1);
        stuck_seq = seq;
        stuck_since = in_runs;
      }
    } else if (!running || seq != stuck_seq) {
      stuck_seq = seq; /* the run the flag caught has ended; a new one is refused at its start */
      stuck_since = in_runs;
    } else if (in_runs - stuck_since > grace_ns) {
      char line[512];
      int len = g_snprintf(line, sizeof line,
                           "%s: CPU time limit of %g s exceeded inside a C function; stopping\n",
                           sb->last_where[0] != '\0' ? sb->last_where
                           : sb->chunkname != NULL ? sb->chunkname : "trainsim", sb->limits.cpu_limit_s);
      if (len > 0) {
        ssize_t written = write(STDERR_FILENO, line, MIN((size_t) len, sizeof line - 1));
        (void) written;
      }
      _exit(1);
    }
  }
  g_mutex_unlock(&sb->wd_mutex);
  return NULL;
}

/* A plain POSIX thread, not a GThread: GLib's thread start frees the thread's name on the new thread, and glibc
 * gives a thread's first malloc or free an arena of its own (a 128 MiB reservation, then two munmaps, then the
 * teardown at exit), which was most of what starting the watchdog cost a short run (docs/performance.md,
 * section 6, ninth round).  Nothing on this thread allocates. */
static void *
watchdog_thread(void *data)
{
  prctl(PR_SET_NAME, "ts-watchdog", 0, 0, 0);
  return watchdog_main(data);
}

/* Start the watchdog on the calling thread's CPU clock (the thread that will run the sandbox). */
gboolean
sandbox_watchdog_start(TsSandbox *sb, GError **error)
{
  int rc = pthread_getcpuclockid(pthread_self(), &sb->cpu_clock);
  if (rc != 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_INFEASIBLE, "cannot read this thread's CPU clock: %s",
                g_strerror(rc));
    return FALSE;
  }
  pthread_attr_t attr;
  rc = pthread_attr_init(&attr);
  if (rc == 0) {
    rc = pthread_attr_setstacksize(&attr, WATCHDOG_STACK_BYTES);
    if (rc == 0)
      rc = pthread_create(&sb->watchdog, &attr, watchdog_thread, sb);
    pthread_attr_destroy(&attr);
  }
  if (rc != 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_INFEASIBLE, "cannot start the sandbox watchdog: %s", g_strerror(rc));
    return FALSE;
  }
  sb->watchdog_started = TRUE;
  return TRUE;
}

void
sandbox_watchdog_stop(TsSandbox *sb)
{
  if (sb->watchdog_started) {
    g_mutex_lock(&sb->wd_mutex);
    sb->wd_stop = TRUE;
    g_cond_signal(&sb->wd_cond);
    g_mutex_unlock(&sb->wd_mutex);
    pthread_join(sb->watchdog, NULL);
    sb->watchdog_started = FALSE;
  }
}
