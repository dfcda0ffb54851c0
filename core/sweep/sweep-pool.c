#include "scenario/replicas.h"
#include "sweep/sweep-pool.h"

#include "common/ts-error.h"
#include "scenario/scenario.h"
#include "units/units.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define RECORD_MAGIC 0x54535752u /* "TSWR" */
#define NVALUES 23
#define MAX_MESSAGE 4000
#define STDERR_KEEP 8192
/* Variants handed to a worker beyond the one it runs: it starts the next as soon as it sends a result, instead of
 * waiting for the parent to be scheduled, read the result and write the next index (on a loaded machine, that
 * round trip cost more wall time than a variant's CPU). */
#define AHEAD 3

typedef struct {
  guint32 magic;
  guint32 status;
  guint64 index;
  double v[NVALUES];
  guint32 msglen;
  guint32 pad;
} Record;

typedef struct {
  pid_t pid; /* 0: no process in this slot */
  int cmd, res, err;
  gint64 current; /* variant being run, -1 idle */
  gint64 started_us; /* when `current` started (when the result before it came, or when it was handed out) */
  guint64 ahead[AHEAD]; /* handed out after `current`, in order */
  guint nahead;
  GByteArray *rbuf;
  GString *ebuf;
  gboolean res_eof;
} Worker;

static volatile sig_atomic_t interrupt_signal;

static void
on_interrupt(int sig)
{
  interrupt_signal = sig;
}

guint64
ts_sweep_spec_count_in_shard(const TsSweepSpec *spec)
{
  if (spec->shard_n == 0)
    return spec->variants;
  guint64 k = spec->shard_k - 1;
  return spec->variants > k ? (spec->variants - k + spec->shard_n - 1) / spec->shard_n : 0;
}

static guint64
nth_in_shard(const TsSweepSpec *spec, guint64 j)
{
  return spec->shard_n == 0 ? j : (spec->shard_k - 1) + j * spec->shard_n;
}

/* ---- worker --------------------------------------------------------------------------------------------- */

static gboolean
read_full(int fd, void *buf, gsize len)
{
  char *p = buf;
  while (len > 0) {
    ssize_t n = read(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return FALSE;
    p += n;
    len -= (gsize) n;
  }
  return TRUE;
}

/* The next variant's index from the parent: the indices handed ahead (AHEAD) are read together, one read for
 * several, and kept in `q` (the pipe carries whole 8-byte indices; a read that ends inside one finishes it). */
typedef struct {
  guint64 v[AHEAD + 1];
  guint n, next;
} IndexQueue;

static gboolean
next_index(int fd, IndexQueue *q, guint64 *index)
{
  if (q->next == q->n) {
    ssize_t n;
    do
      n = read(fd, q->v, sizeof q->v);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
      return FALSE;
    gsize rest = (gsize) n % sizeof q->v[0];
    if (rest != 0 && !read_full(fd, (char *) q->v + n, sizeof q->v[0] - rest))
      return FALSE;
    q->n = (guint) (((gsize) n + sizeof q->v[0] - 1) / sizeof q->v[0]);
    q->next = 0;
  }
  *index = q->v[q->next++];
  return TRUE;
}

static gboolean
write_full(int fd, const void *buf, gsize len)
{
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return FALSE;
    p += n;
    len -= (gsize) n;
  }
  return TRUE;
}

/* Test hook (fault-injection builds): TRAINSIM_SWEEP_FAULT=crash:I,hang:J,drop:K makes the worker running
 * variant I die of SIGSEGV, the one running J hang without using CPU, and the one running K stop taking work
 * (its command pipe closed) and exit a moment after reporting K, so that the parent's next hand-out finds it
 * gone: to test that each is reported and none can take the sweep down. */
static gboolean
fault_is(const char *kind, guint64 index)
{
#ifdef TS_FAULT_INJECTION
  const char *f = g_getenv("TRAINSIM_SWEEP_FAULT");
  if (f == NULL)
    return FALSE;
  g_auto(GStrv) items = g_strsplit(f, ",", -1);
  for (char **it = items; *it; it++) {
    const char *colon = strchr(*it, ':');
    if (colon != NULL && g_ascii_strtoull(colon + 1, NULL, 10) == index && strncmp(*it, kind, (size_t) (colon - *it))
        == 0 && kind[colon - *it] == '\0')
      return TRUE;
  }
#else
  (void) kind, (void) index;
#endif
  return FALSE;
}

static void
inject_fault(guint64 index)
{
  if (fault_is("crash", index)) {
    signal(SIGSEGV, SIG_DFL); /* the default action, whatever a sanitizer installed */
    raise(SIGSEGV);
  }
  if (fault_is("hang", index))
    for (;;)
      pause();
}

/* Replace the script's path in a message by its base name: no host paths in outputs. */
static char *
strip_path(const char *message, const char *path)
{
  g_autofree char *base = g_path_get_basename(path);
  if (strcmp(base, path) == 0 || strstr(message, path) == NULL)
    return g_strdup(message);
  g_auto(GStrv) parts = g_strsplit(message, path, -1);
  return g_strjoinv(base, parts);
}

static void
run_variant(const TsSweepSpec *spec, const TsSweepRunOptions *o, TsScenarioWorker *worker, guint64 index, Record *rec,
            char **message)
{
  memset(rec, 0, sizeof *rec);
  rec->magic = RECORD_MAGIC;
  rec->index = index;
  for (guint i = 0; i < NVALUES; i++)
    rec->v[i] = NAN;
  inject_fault(index);
  g_auto(GStrv) sets = ts_sweep_spec_variant_sets(spec, index);
  TsScenarioOptions opts;
  ts_scenario_options_init(&opts);
  opts.path = o->scenario_path;
  opts.source = o->scenario_source;
  opts.source_len = o->scenario_source_len;
  opts.sets = (const char *const *) sets;
  opts.limits = o->limits;
  opts.limits.seed = ts_sweep_variant_seed(spec->seed, index);
  opts.max_events = o->max_events;
  opts.horizon_s = o->horizon_s;
  opts.worker = worker; /* one Lua state for the worker's variants, reset for each */
  g_autoptr(GError) error = NULL;
  TsRun *run = ts_scenario_run(o->registry, &opts, &error);
  if (run == NULL) {
    rec->status = TS_VARIANT_ERROR;
    *message = strip_path(error ? error->message : "unknown error", o->scenario_path);
    return;
  }
  const TsResults *r = ts_run_get_results(run);
  if (error != NULL) {
    rec->status = TS_VARIANT_INFEASIBLE;
    *message = strip_path(error->message, o->scenario_path);
  } else {
    rec->status = r->feasible ? TS_VARIANT_OK : TS_VARIANT_INFEASIBLE;
  }
  double v[NVALUES] = {
    r->total_time_s,
    r->cost_total,
    r->cost_compute,
    r->cost_host,
    r->storage_cost_modelled ? r->cost_storage : NAN,
    r->network_cost_modelled ? r->cost_network : NAN,
    r->peak_device > 0 ? r->peak_device : NAN,
    r->device_capacity > 0 ? r->device_capacity : NAN,
    r->peak_host > 0 ? r->peak_host : NAN,
    r->host_capacity > 0 ? r->host_capacity : NAN,
    r->peak_storage,
    r->storage_capacity > 0 ? r->storage_capacity : NAN,
    NAN, NAN, /* the quantile judged */
    NAN, NAN, NAN, NAN, NAN, NAN, /* time P10, P50, P90; cost P10, P50, P90 */
    r->energy.kwh, r->energy.co2_kg, /* NaN when unknown */
    r->storage_per_host ? 1.0 : 0.0,
  };
  /* --replicas: the same variant under more seeds, for the quantile its deadline and budget are judged at. */
  if (spec->replicas > 1 && rec->status != TS_VARIANT_ERROR) {
    TsReplicaStats st;
    memset(&st, 0, sizeof st);
    g_autoptr(GError) rerr = NULL;
    if (ts_replicas_run(o->registry, &opts, spec->replicas, &st, &rerr)) {
      v[12] = spec->quantile == 50 ? st.time_p50_s : st.time_p90_s;
      v[13] = spec->quantile == 50 ? st.cost_p50_usd : st.cost_p90_usd;
      const double q[6] = {st.time_p10_s, st.time_p50_s, st.time_p90_s,
                           st.cost_p10_usd, st.cost_p50_usd, st.cost_p90_usd};
      memcpy(v + 14, q, sizeof q);
    }
  }
  memcpy(rec->v, v, sizeof v);
  ts_run_free(run);
}

static void G_GNUC_NORETURN
worker_main(const TsSweepSpec *spec, const TsSweepRunOptions *o, int cmd, int res, int err, pid_t parent)
{
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGPIPE, SIG_DFL);
#ifdef __linux__
  prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
  if (getppid() != parent)
    _exit(1);
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (devnull >= 0) {
    dup2(devnull, STDIN_FILENO);
    dup2(devnull, STDOUT_FILENO);
    close(devnull);
  }
  dup2(err, STDERR_FILENO);
  close(err);
  TsScenarioWorker *worker = ts_scenario_worker_new(); /* lives until _exit */
  IndexQueue queue = {{0}, 0, 0};
  for (;;) {
    guint64 index;
    if (!next_index(cmd, &queue, &index))
      _exit(0); /* the parent closed the pipe: no more work */
    Record rec;
    g_autofree char *message = NULL;
    run_variant(spec, o, worker, index, &rec, &message);
    gboolean drop = fault_is("drop", index);
    if (drop)
      close(cmd);
    gsize len = message ? MIN(strlen(message), MAX_MESSAGE) : 0;
    rec.msglen = (guint32) len;
    g_autofree char *buf = g_malloc(sizeof rec + len);
    memcpy(buf, &rec, sizeof rec);
    if (len > 0)
      memcpy(buf + sizeof rec, message, len);
    if (!write_full(res, buf, sizeof rec + len))
      _exit(1);
    if (drop) {
      g_usleep(300000);
      _exit(0);
    }
  }
}

/* ---- parent --------------------------------------------------------------------------------------------- */

static void
set_nonblock(int fd)
{
  int fl = fcntl(fd, F_GETFL);
  if (fl >= 0)
    fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void
close_fd(int *fd)
{
  if (*fd >= 0)
    close(*fd);
  *fd = -1;
}

static gboolean
spawn_worker(Worker *workers, guint nworkers, guint slot, const TsSweepSpec *spec, const TsSweepRunOptions *o,
             GError **error)
{
  int cmd[2], res[2], err[2];
  if (pipe2(cmd, O_CLOEXEC) != 0 || pipe2(res, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_IO, "sweep: cannot create a pipe: %s", g_strerror(errno));
    return FALSE;
  }
  fflush(stdout);
  fflush(stderr);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    close(cmd[0]), close(cmd[1]), close(res[0]), close(res[1]), close(err[0]), close(err[1]);
    g_set_error(error, TS_ERROR, TS_ERROR_IO, "sweep: cannot start a worker process: %s", g_strerror(e));
    return FALSE;
  }
  if (pid == 0) {
    for (guint i = 0; i < nworkers; i++)
      if (workers[i].pid != 0) {
        close(workers[i].cmd);
        close(workers[i].res);
        close(workers[i].err);
      }
    close(cmd[1]);
    close(res[0]);
    close(err[0]);
    worker_main(spec, o, cmd[0], res[1], err[1], parent);
  }
  close(cmd[0]);
  close(res[1]);
  close(err[1]);
  Worker *w = &workers[slot];
  w->pid = pid;
  w->cmd = cmd[1];
  w->res = res[0];
  w->err = err[0];
  w->current = -1;
  w->nahead = 0;
  w->res_eof = FALSE;
  set_nonblock(w->res);
  set_nonblock(w->err);
  g_byte_array_set_size(w->rbuf, 0);
  g_string_truncate(w->ebuf, 0);
  return TRUE;
}

static void
add_row(TsSweepResult *res, guint64 index, TsVariantStatus status, char *message, const double *v)
{
  TsSweepRow row = {0};
  row.index = index;
  row.seed = ts_sweep_variant_seed(res->spec->seed, index);
  row.status = status;
  row.error = message;
  double nan[NVALUES];
  for (guint i = 0; i < NVALUES; i++)
    nan[i] = NAN;
  if (v == NULL)
    v = nan;
  row.total_time_s = v[0];
  row.cost_total = v[1];
  row.cost_compute = v[2];
  row.cost_host = v[3];
  row.cost_storage = v[4];
  row.cost_network = v[5];
  row.peak_device = v[6];
  row.device_capacity = v[7];
  row.peak_host = v[8];
  row.host_capacity = v[9];
  row.peak_storage = v[10];
  row.storage_capacity = v[11];
  row.time_q_s = v[12];
  row.cost_q_usd = v[13];
  for (guint k = 0; k < 3; k++) {
    row.time_p_s[k] = v[14 + k];
    row.cost_p_usd[k] = v[17 + k];
  }
  row.energy_kwh = v[20];
  row.co2_kg = v[21];
  row.storage_per_host = v[22];
  g_array_append_val(res->rows, row);
}

/* Parse the complete records in the worker's buffer; each finishes its current variant. */
static guint
take_records(Worker *w, TsSweepResult *res)
{
  guint n = 0;
  while (w->rbuf->len >= sizeof(Record)) {
    Record rec;
    memcpy(&rec, w->rbuf->data, sizeof rec);
    if (rec.magic != RECORD_MAGIC || rec.msglen > MAX_MESSAGE)
      break; /* garbage: treat the worker as crashed when it goes */
    if (w->rbuf->len < sizeof rec + rec.msglen)
      break;
    char *msg = rec.msglen ? g_strndup((const char *) w->rbuf->data + sizeof rec, rec.msglen) : NULL;
    add_row(res, rec.index, (TsVariantStatus) rec.status, msg, rec.v);
    g_byte_array_remove_range(w->rbuf, 0, sizeof rec + rec.msglen);
    w->current = -1;
    if (w->nahead > 0) { /* the worker has started the next one already */
      w->current = (gint64) w->ahead[0];
      w->started_us = g_get_monotonic_time();
      memmove(w->ahead, w->ahead + 1, --w->nahead * sizeof w->ahead[0]);
    }
    g_string_truncate(w->ebuf, 0);
    n++;
  }
  return n;
}

static void
drain(int fd, GByteArray *bytes, GString *text, gboolean *eof)
{
  char buf[16384];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n == 0 && eof != NULL)
      *eof = TRUE;
    if (n <= 0)
      return;
    if (bytes != NULL)
      g_byte_array_append(bytes, (const guint8 *) buf, (guint) n);
    if (text != NULL) {
      g_string_append_len(text, buf, n);
      if (text->len > STDERR_KEEP)
        g_string_erase(text, 0, (gssize) (text->len - STDERR_KEEP));
    }
    if ((gsize) n < sizeof buf)
      return; /* the pipe was empty after this: the next poll says when there is more (or its end) */
  }
}

static char *
last_line(const GString *s)
{
  g_auto(GStrv) lines = g_strsplit(s->str, "\n", -1);
  for (guint i = g_strv_length(lines); i-- > 0;) {
    g_strstrip(lines[i]);
    if (lines[i][0] != '\0')
      return g_strdup(lines[i]);
  }
  return NULL;
}

static char *strip_path(const char *message, const char *path);

/* A worker is gone (or is killed here, for a timeout): the variant it was running gets a row saying so, and those
 * handed to it after that one go back to `retry` (NULL: dropped, the sweep is stopping). */
static void
reap(Worker *w, TsSweepResult *res, const TsSweepRunOptions *o, TsVariantStatus status, const char *why,
     gboolean interrupted, GArray *retry)
{
  int wstatus = 0;
  close_fd(&w->cmd);
  if (status == TS_VARIANT_TIMEOUT)
    kill(w->pid, SIGKILL);
  while (waitpid(w->pid, &wstatus, 0) < 0 && errno == EINTR)
    ;
  /* The worker is gone: whatever it wrote is complete now. */
  int flags = fcntl(w->err, F_GETFL);
  if (flags >= 0)
    fcntl(w->err, F_SETFL, flags & ~O_NONBLOCK);
  drain(w->err, NULL, w->ebuf, NULL);
  drain(w->res, w->rbuf, NULL, NULL);
  take_records(w, res);
  if (w->current >= 0 && !interrupted) {
    char *msg;
    g_autofree char *line = last_line(w->ebuf);
    if (status == TS_VARIANT_TIMEOUT)
      msg = g_strdup(why);
    else if (WIFSIGNALED(wstatus))
      msg = g_strdup_printf("the variant's process was killed by signal %d (%s)%s%s", WTERMSIG(wstatus),
                            g_strsignal(WTERMSIG(wstatus)), line ? ": " : "", line ? line : "");
    else
      msg = g_strdup_printf("the variant's process exited with status %d%s%s",
                            WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1, line ? ": " : "", line ? line : "");
    add_row(res, (guint64) w->current, status, strip_path(msg, o->scenario_path), NULL);
    g_free(msg);
  }
  close_fd(&w->res);
  close_fd(&w->err);
  for (guint i = w->nahead; retry != NULL && i-- > 0;) /* popped from the end: the earliest first */
    g_array_append_val(retry, w->ahead[i]);
  w->nahead = 0;
  w->pid = 0;
  w->current = -1;
}

static void
progress_draw(guint64 done, guint64 total, guint failed, gint64 start_us, gboolean final)
{
  if (final) {
    fputs("\r\033[K", stderr);
    fflush(stderr);
    return;
  }
  const int width = 30;
  int fill = total ? (int) (width * done / total) : width;
  char bar[64];
  for (int i = 0; i < width; i++)
    bar[i] = i < fill ? '#' : '.';
  bar[width] = '\0';
  double elapsed = (g_get_monotonic_time() - start_us) / 1e6;
  fprintf(stderr, "\r  sweep [%s] %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " variants", bar, done, total);
  if (failed > 0)
    fprintf(stderr, ", %u failed", failed);
  fprintf(stderr, ", %.1f s", elapsed);
  if (done > 0 && done < total)
    fprintf(stderr, ", about %.0f s left", elapsed / (double) done * (double) (total - done) + 0.5);
  fputs("\033[K", stderr);
  fflush(stderr);
}

/* Count the rows added since `before`: finished variants, and those without a result. */
static void
count_rows(const TsSweepResult *res, guint before, guint64 *done, guint *failed)
{
  for (guint r = before; r < res->rows->len; r++) {
    (*done)++;
    *failed += !ts_sweep_row_has_result(&g_array_index(res->rows, TsSweepRow, r));
  }
}

/* Keep every worker busy: the variant it runs and up to AHEAD more, taken first from `retry` (variants a dead
 * worker had not started), then in order; workers are started where needed.  FALSE when one cannot start. */
static gboolean
hand_out_work(Worker *workers, guint nw, TsSweepResult *res, const TsSweepRunOptions *o, guint64 *next,
              guint64 total, GArray *retry, guint64 *done, guint *failed, GError **error)
{
  const TsSweepSpec *spec = res->spec;
  for (guint i = 0; i < nw; i++) {
    Worker *w = &workers[i];
    while ((retry->len > 0 || *next < total) && !(w->pid != 0 && w->current >= 0 && w->nahead >= AHEAD)) {
      if (w->pid == 0 && !spawn_worker(workers, nw, i, spec, o, error))
        return FALSE;
      gboolean again = retry->len > 0;
      guint64 index = again ? g_array_index(retry, guint64, retry->len - 1) : nth_in_shard(spec, *next);
      if (!write_full(w->cmd, &index, sizeof index)) {
        /* Gone since the last poll: its last results and its variant's crash count like any reaped worker's
         * (uncounted, the sweep waited for a row it already had, forever). */
        guint before = res->rows->len;
        reap(w, res, o, TS_VARIANT_CRASHED, NULL, FALSE, retry); /* started again on the next round */
        count_rows(res, before, done, failed);
        break;
      }
      if (again)
        g_array_set_size(retry, retry->len - 1);
      else
        (*next)++;
      if (w->current < 0) {
        w->current = (gint64) index;
        w->started_us = g_get_monotonic_time();
      } else {
        w->ahead[w->nahead++] = index;
      }
    }
  }
  return TRUE;
}

/* Deaths and timeouts: a worker whose results pipe closed is reaped (its variant crashed), one past --timeout
 * killed. */
static void
reap_dead_and_late(Worker *workers, guint nw, TsSweepResult *res, const TsSweepRunOptions *o, gint64 now,
                   guint64 *done, guint *failed, GArray *retry)
{
  for (guint i = 0; i < nw; i++) {
    Worker *w = &workers[i];
    if (w->pid == 0)
      continue;
    guint before = res->rows->len;
    if (w->res_eof) {
      reap(w, res, o, TS_VARIANT_CRASHED, NULL, interrupt_signal != 0, retry);
    } else if (w->current >= 0 && o->timeout_s > 0 && now - w->started_us > (gint64) (o->timeout_s * 1e6)) {
      g_autofree char *limit = ts_format_duration(o->timeout_s);
      g_autofree char *why = g_strdup_printf("timed out: still running after %s (--timeout)", limit);
      reap(w, res, o, TS_VARIANT_TIMEOUT, why, FALSE, retry);
    }
    count_rows(res, before, done, failed);
  }
}

gboolean
ts_sweep_run(TsSweepResult *res, const TsSweepRunOptions *o, gboolean *interrupted, GError **error)
{
  const TsSweepSpec *spec = res->spec;
  guint64 total = ts_sweep_spec_count_in_shard(spec);
  guint nw = (guint) MAX(1, MIN((guint64) MAX(o->jobs, 1u), MAX(total, 1)));
  Worker *workers = g_new0(Worker, nw);
  for (guint i = 0; i < nw; i++) {
    workers[i].rbuf = g_byte_array_new();
    workers[i].ebuf = g_string_new(NULL);
    workers[i].cmd = workers[i].res = workers[i].err = -1;
    workers[i].current = -1;
  }
  struct sigaction sa, old_int, old_term, old_pipe;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  interrupt_signal = 0;
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, &old_pipe);

  gboolean ok = TRUE;
  guint64 next = 0, done = 0;
  guint failed = 0;
  gint64 start = g_get_monotonic_time(), last_draw = 0;
  GPtrArray *fds_of = g_ptr_array_new();
  GArray *pfds = g_array_new(FALSE, FALSE, sizeof(struct pollfd));
  GArray *retry = g_array_new(FALSE, FALSE, sizeof(guint64));
  while (done < total && interrupt_signal == 0) {
    if (!hand_out_work(workers, nw, res, o, &next, total, retry, &done, &failed, error)) {
      ok = FALSE;
      break;
    }

    g_array_set_size(pfds, 0);
    g_ptr_array_set_size(fds_of, 0);
    gint64 now = g_get_monotonic_time();
    int timeout_ms = o->progress ? 100 : 1000;
    for (guint i = 0; i < nw; i++) {
      Worker *w = &workers[i];
      if (w->pid == 0)
        continue;
      struct pollfd a = {w->res, POLLIN, 0}, b = {w->err, POLLIN, 0};
      g_array_append_val(pfds, a);
      g_ptr_array_add(fds_of, w);
      g_array_append_val(pfds, b);
      g_ptr_array_add(fds_of, w);
      if (w->current >= 0 && o->timeout_s > 0) {
        gint64 left_ms = (w->started_us + (gint64) (o->timeout_s * 1e6) - now) / 1000 + 1;
        timeout_ms = (int) CLAMP(left_ms, 0, timeout_ms);
      }
    }
    int n = poll((struct pollfd *) pfds->data, pfds->len, timeout_ms);
    if (n < 0 && errno != EINTR) {
      g_set_error(error, TS_ERROR, TS_ERROR_IO, "sweep: poll: %s", g_strerror(errno));
      ok = FALSE;
      break;
    }
    for (guint k = 0; n > 0 && k < pfds->len; k++) {
      struct pollfd *p = &g_array_index(pfds, struct pollfd, k);
      Worker *w = g_ptr_array_index(fds_of, k);
      if (p->revents == 0 || w->pid == 0)
        continue;
      if (p->fd == w->err) {
        drain(w->err, NULL, w->ebuf, NULL);
      } else {
        guint before = res->rows->len;
        drain(w->res, w->rbuf, NULL, &w->res_eof);
        take_records(w, res);
        count_rows(res, before, &done, &failed);
      }
    }
    now = g_get_monotonic_time();
    reap_dead_and_late(workers, nw, res, o, now, &done, &failed, retry);
    if (o->progress && (now - last_draw > 100000 || done == total)) {
      progress_draw(done, total, failed, start, FALSE);
      last_draw = now;
    }
  }
  gboolean stopped = interrupt_signal != 0;
  for (guint i = 0; i < nw; i++) {
    Worker *w = &workers[i];
    if (w->pid == 0)
      continue;
    if (stopped || !ok)
      kill(w->pid, SIGKILL);
    reap(w, res, o, TS_VARIANT_CRASHED, NULL, TRUE, NULL);
  }
  if (o->progress)
    progress_draw(done, total, failed, start, TRUE);
  for (guint i = 0; i < nw; i++) {
    g_byte_array_unref(workers[i].rbuf);
    g_string_free(workers[i].ebuf, TRUE);
  }
  g_free(workers);
  g_ptr_array_unref(fds_of);
  g_array_unref(pfds);
  g_array_unref(retry);
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  sigaction(SIGPIPE, &old_pipe, NULL);
  if (interrupted != NULL)
    *interrupted = stopped;
  if (stopped || !ok)
    res->complete = FALSE;
  return ok;
}
