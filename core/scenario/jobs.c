/* A scenario's job{}s (scenario-private.h): each job's run function is played alone on its share of the
 * cluster by the single-job run model, which gives its timeline (when its steps read from storage, when its
 * checkpoints commit); the cluster's scheduler then places the jobs (core/resources/scheduler.h) and the
 * cluster's run carries the outputs (core/run/jobs.h). */
#include "scenario/scenario-private.h"

#include <lauxlib.h>
#include <math.h>
#include <string.h>

#include "common/ts-error.h"
#include "run/jobs.h"

/* What a job's run alone reports that the schedule needs: when its steps ran, when it wrote checkpoints and
 * downloaded, and when its checkpoints committed. */
typedef struct {
  GArray *steps;       /* TsInterval of "steps a-b" spans, in seconds */
  GArray *writes;      /* TsInterval of checkpoint writes */
  GArray *downloads;   /* Download */
  GArray *checkpoints; /* double: ends of checkpoint writes */
} Capture;

typedef struct {
  TsInterval at;
  char *dataset; /* its name */
} Download;

static gboolean
capture_span(void *data, const TsSpan *span, GError **error)
{
  (void) error;
  Capture *c = data;
  if (span->edge != TS_SPAN_COMPLETE)
    return TRUE;
  TsInterval iv = {ts_time_to_seconds(span->start), ts_time_to_seconds(span->end)};
  if (g_strcmp0(span->kind, "train") == 0 && g_str_has_prefix(span->name, "steps ")) {
    g_array_append_val(c->steps, iv);
  } else if (g_strcmp0(span->kind, "checkpoint") == 0) {
    g_array_append_val(c->writes, iv);
    g_array_append_val(c->checkpoints, iv.end_s);
  } else if (g_strcmp0(span->kind, "download") == 0 && g_str_has_prefix(span->name, "download ")) {
    Download d = {iv, g_strdup(span->name + strlen("download "))};
    g_array_append_val(c->downloads, d);
  }
  return TRUE;
}

/* The bandwidths the jobs share (scheduler.h): the storage's reads, its writes, what both move together, and
 * each download source's link (by name, as downloads in one run share it: run/download.c). */
typedef struct {
  GArray *links; /* TsSharedLink, names owned */
  int read, write, total, fabric; /* indices, -1: none */
} Links;

static void
links_clear(Links *l)
{
  for (guint i = 0; i < l->links->len; i++)
    g_free((char *) g_array_index(l->links, TsSharedLink, i).name);
  g_array_unref(l->links);
}

static int
links_add(Links *l, const char *name, double bps)
{
  TsSharedLink k = {g_strdup(name), bps};
  g_array_append_val(l->links, k);
  return (int) l->links->len - 1;
}

static int
link_of_source(Links *l, const TsDownloadSource *from)
{
  g_autofree char *name = g_strdup_printf("download source %s", from->name ? from->name : "internet");
  for (guint i = 0; i < l->links->len; i++)
    if (strcmp(g_array_index(l->links, TsSharedLink, i).name, name) == 0)
      return (int) i;
  return links_add(l, name, from->bandwidth);
}

/* The job's share of the pool: `devices` of the same accelerator.  GPUs and CPUs by SKU fill whole nodes (or
 * one node's part); instances go whole; a TPU job takes a slice of the pool's generation with that many chips. */
static gboolean
resize(TsMachineGroup *a, guint devices, GError **error)
{
  if (devices == a->devices)
    return TRUE;
  if (a->slice != NULL) {
    const TsSlice *found = NULL;
    GString *valid = g_string_new(NULL);
    for (guint i = 0; a->record->slices != NULL && i < a->record->slices->len; i++) {
      const TsSlice *s = &g_array_index(a->record->slices, TsSlice, i);
      if (s->chips > a->devices)
        continue;
      g_string_append_printf(valid, "%s%u (%s)", valid->len ? ", " : "", s->chips, s->name);
      if (s->chips == devices && found == NULL)
        found = s;
    }
    if (found == NULL || a->slices > 1) {
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "devices: a job on %s takes a whole slice of it: %u chips is "
                  "none; slices of the pool by chips: %s", a->slice, devices, valid->str);
      g_string_free(valid, TRUE);
      return FALSE;
    }
    g_string_free(valid, TRUE);
    g_free(a->slice);
    a->slice = g_strdup(found->name);
    memcpy(a->dims, found->dims, sizeof a->dims);
    a->mesh_dims = found->mesh_dims;
    guint per = a->per_node > 0 ? a->per_node : 1;
    a->per_node = MIN(per, devices);
    a->nodes = (devices + a->per_node - 1) / a->per_node;
    a->devices = devices;
    return TRUE;
  }
  guint per = a->per_node > 0 ? a->per_node : 1;
  if (devices > per && devices % per != 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "devices: %u is not whole nodes of %u devices (or one node's "
                "part)", devices, per);
    return FALSE;
  }
  if (a->instance != NULL && devices % per != 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "devices: a job on %s instances takes whole instances of %u "
                "devices; %u is not", a->instance->name, per, devices);
    return FALSE;
  }
  a->per_node = MIN(per, devices);
  a->nodes = devices / a->per_node;
  a->devices = devices;
  return TRUE;
}

/* The jobs' diagnostics, each said once: a scenario of 112 sweeps that give no host CPU has one "no host CPU
 * given" to say, with the jobs it is about, not 112 copies of it. */
typedef struct {
  TsSeverity severity;
  char *code;
  char *message;
  GPtrArray *jobs; /* names, borrowed from the bindings */
} JobNote;

typedef struct {
  GPtrArray *notes;  /* JobNote, in the order first said */
  GHashTable *index; /* "severity code message" -> JobNote */
} JobNotes;

static void
job_note_free(gpointer p)
{
  JobNote *n = p;
  g_free(n->code);
  g_free(n->message);
  g_ptr_array_unref(n->jobs);
  g_free(n);
}

static void
collect_diagnostics(JobNotes *notes, TsRun *from, const char *job)
{
  const GPtrArray *d = ts_run_get_diagnostics(from);
  for (guint i = 0; i < d->len; i++) {
    const TsDiagnostic *x = g_ptr_array_index(d, i);
    /* The pool's devices are the job's from its start to its end, provisioned by the scheduler. */
    if (g_strcmp0(x->code, "implicit-provision") == 0 || g_strcmp0(x->code, "never-released") == 0)
      continue;
    g_autofree char *key = g_strdup_printf("%d %s %s", (int) x->severity, x->code ? x->code : "", x->message);
    JobNote *n = g_hash_table_lookup(notes->index, key);
    if (n == NULL) {
      n = g_new0(JobNote, 1);
      *n = (JobNote){x->severity, g_strdup(x->code), g_strdup(x->message), g_ptr_array_new()};
      g_ptr_array_add(notes->notes, n);
      g_hash_table_insert(notes->index, g_steal_pointer(&key), n);
    }
    if (n->jobs->len == 0 || g_ptr_array_index(n->jobs, n->jobs->len - 1) != job)
      g_ptr_array_add(n->jobs, (gpointer) job);
  }
}

/* "job a: ...", "2 jobs (a, b): ...", "112 jobs (a, b, c and 109 more): ...". */
static void
add_job_notes(TsRun *to, const JobNotes *notes)
{
  for (guint i = 0; i < notes->notes->len; i++) {
    const JobNote *n = g_ptr_array_index(notes->notes, i);
    if (n->jobs->len == 1) {
      ts_run_add_diagnostic(to, n->severity, n->code, "job %s: %s", (char *) g_ptr_array_index(n->jobs, 0), n->message);
      continue;
    }
    GString *who = g_string_new(NULL);
    guint named = n->jobs->len > 4 ? 3 : n->jobs->len;
    for (guint k = 0; k < named; k++)
      g_string_append_printf(who, "%s%s", k > 0 ? ", " : "", (char *) g_ptr_array_index(n->jobs, k));
    if (named < n->jobs->len)
      g_string_append_printf(who, " and %u more", n->jobs->len - named);
    ts_run_add_diagnostic(to, n->severity, n->code, "%u jobs (%s): %s", n->jobs->len, who->str, n->message);
    g_string_free(who, TRUE);
  }
}

/* Something the job does alone that uses shared links: [start, end] and what it moves over each per second. */
typedef struct {
  double start_s, end_s;
  guint n_uses;
  TsLinkUse uses[4];
} Activity;

typedef struct {
  double at;
  guint activity;
  gboolean starts;
} Edge;

static int
cmp_edge(const void *a, const void *b)
{
  const Edge *x = a, *y = b;
  if (x->at != y->at)
    return (x->at > y->at) - (x->at < y->at);
  return (int) x->starts - (int) y->starts; /* ends first: touching activities do not overlap */
}

static void
use_add(Activity *a, int link, double bps)
{
  if (link < 0 || !(bps > 0))
    return;
  a->uses[a->n_uses++] = (TsLinkUse){(guint) link, bps};
}

/* The job's timeline alone as stretches between the edges of its activities; each stretch uses the sum of what
 * the activities over it use, per link (a background download beside steps, two downloads at once). */
static void
segments_of(const GArray *acts, double total_s, GArray *segments, GArray *uses)
{
  GArray *edges = g_array_new(FALSE, FALSE, sizeof(Edge));
  for (guint i = 0; i < acts->len; i++) {
    const Activity *a = &g_array_index(acts, Activity, i);
    if (!(a->end_s > a->start_s) || a->n_uses == 0)
      continue;
    Edge s = {a->start_s, i, TRUE}, e = {a->end_s, i, FALSE};
    g_array_append_val(edges, s);
    g_array_append_val(edges, e);
  }
  g_array_sort(edges, cmp_edge);
  GArray *active = g_array_new(FALSE, FALSE, sizeof(guint));
  GArray *offsets = g_array_new(FALSE, FALSE, sizeof(guint)); /* each segment's first use, fixed up below */
  double at = 0;
  for (guint e = 0; e <= edges->len; e++) {
    double next = e < edges->len ? MIN(g_array_index(edges, Edge, e).at, total_s) : total_s;
    if (next > at) {
      TsJobSegment seg = {next - at, NULL, 0};
      guint first = uses->len;
      for (guint x = 0; x < active->len; x++) {
        const Activity *a = &g_array_index(acts, Activity, g_array_index(active, guint, x));
        for (guint u = 0; u < a->n_uses; u++) {
          guint y = first;
          while (y < uses->len && g_array_index(uses, TsLinkUse, y).link != a->uses[u].link)
            y++;
          if (y < uses->len)
            g_array_index(uses, TsLinkUse, y).bps += a->uses[u].bps;
          else
            g_array_append_val(uses, a->uses[u]);
        }
      }
      seg.n_uses = uses->len - first;
      g_array_append_val(segments, seg);
      g_array_append_val(offsets, first);
      at = next;
    }
    if (e == edges->len)
      break;
    const Edge *ed = &g_array_index(edges, Edge, e);
    if (ed->starts) {
      g_array_append_val(active, ed->activity);
    } else {
      for (guint x = 0; x < active->len; x++)
        if (g_array_index(active, guint, x) == ed->activity) {
          g_array_remove_index_fast(active, x);
          break;
        }
    }
  }
  for (guint i = 0; i < segments->len; i++) {
    TsJobSegment *seg = &g_array_index(segments, TsJobSegment, i);
    seg->uses = seg->n_uses > 0 ? &g_array_index(uses, TsLinkUse, g_array_index(offsets, guint, i)) : NULL;
  }
  g_array_unref(edges);
  g_array_unref(active);
  g_array_unref(offsets);
}

/* What the job does alone on the shared links: its steps read the storage at `read_bps` and send `fabric_bps`
 * between nodes (the data-parallel reduction, averaged over the step); a checkpoint writes it
 * at its write bandwidth (the write alone takes checkpoint bytes / write: run/train-setup.c); a download moves
 * its bytes over its source's link and into the storage, on average over its span (retries included). */
static void
activities_of(const Capture *c, TsRun *run, const TsStorage *st, double read_bps, double fabric_bps, Links *links,
              GArray *acts)
{
  for (guint i = 0; i < c->steps->len; i++) {
    const TsInterval *iv = &g_array_index(c->steps, TsInterval, i);
    Activity a = {iv->start_s, iv->end_s, 0, {{0}}};
    use_add(&a, links->read, read_bps);
    use_add(&a, links->total, read_bps);
    use_add(&a, links->fabric, fabric_bps);
    g_array_append_val(acts, a);
  }
  for (guint i = 0; st != NULL && i < c->writes->len; i++) {
    const TsInterval *iv = &g_array_index(c->writes, TsInterval, i);
    Activity a = {iv->start_s, iv->end_s, 0, {{0}}};
    use_add(&a, links->write, st->write_bw);
    use_add(&a, links->total, st->write_bw);
    g_array_append_val(acts, a);
  }
  const GPtrArray *datasets = ts_run_get_datasets(run);
  for (guint i = 0; i < c->downloads->len; i++) {
    const Download *d = &g_array_index(c->downloads, Download, i);
    const TsDataset *ds = NULL;
    for (guint k = 0; k < datasets->len && ds == NULL; k++) {
      const TsDataset *x = g_ptr_array_index(datasets, k);
      if (g_strcmp0(x->name, d->dataset) == 0 && x->from != NULL && x->from->bandwidth > 0)
        ds = x;
    }
    double span = d->at.end_s - d->at.start_s;
    if (ds == NULL || !(span > 0))
      continue;
    double bps = ds->bytes / span;
    Activity a = {d->at.start_s, d->at.end_s, 0, {{0}}};
    use_add(&a, link_of_source(links, ds->from), bps);
    if (st != NULL) {
      use_add(&a, links->write, bps);
      use_add(&a, links->total, bps);
    }
    g_array_append_val(acts, a);
  }
}

typedef struct {
  GArray *segments;    /* TsJobSegment, whose uses point into `uses` */
  GArray *uses;        /* TsLinkUse */
  GArray *checkpoints;
  GArray *node_failures; /* double: when one of its nodes failed, alone */
} JobTimeline;

/* Plays job `i` alone; fills its result and timeline.  FALSE with an error the scenario cannot go on from. */
static gboolean
play_job(const TsRegistry *registry, const TsScenarioOptions *options, TsSandbox *sb, TsBindings *b, guint i,
         TsRun *cluster_run, Links *links, JobNotes *notes, TsJobResult *out, JobTimeline *tl, GError **error)
{
  lua_State *L = ts_sandbox_get_state(sb);
  const TsBindingsJob *job = &g_array_index(b->jobs, TsBindingsJob, i);
  lua_rawgeti(L, LUA_REGISTRYINDEX, job->cluster_ref);
  TsCluster *cluster = ts_bindings_to_cluster(L, -1, b, error);
  lua_pop(L, 1);
  if (cluster == NULL) {
    g_prefix_error(error, "%s: cluster: ", job->where);
    return FALSE;
  }
  if (!resize(&cluster->accel, job->devices, error)) {
    g_prefix_error(error, "%s: job %s: ", job->where, job->name);
    ts_cluster_free(cluster);
    return FALSE;
  }
  /* Each job draws its own failures: seed + its index. */
  TsRunInfo info = {options->path, options->limits.seed + i, b->params, options->step_events};
  TsRun *run = ts_run_new(registry, &info);
  if (!ts_run_set_cluster(run, cluster, error)) {
    g_prefix_error(error, "%s: job %s: ", job->where, job->name);
    ts_run_free(run);
    return FALSE;
  }
  /* The cluster's spares serve every job: a node failure is logged, and the schedule decides who waits. */
  if (cluster->spare_nodes > 0)
    ts_run_log_node_failures(run);
  Capture cap = {g_array_new(FALSE, FALSE, sizeof(TsInterval)), g_array_new(FALSE, FALSE, sizeof(TsInterval)),
                 g_array_new(FALSE, FALSE, sizeof(Download)), g_array_new(FALSE, FALSE, sizeof(double))};
  TsSink sink = {&cap, NULL, capture_span};
  ts_run_add_sink(run, &sink);
  GError *played = scenario_play(run, sb, b, job->process_ref, cluster->accel.id, options);
  gboolean ok = played == NULL || g_error_matches(played, TS_ERROR, TS_ERROR_INFEASIBLE);
  if (ok && cluster->spare_nodes > 0 && ts_run_get_results(run)->repair_modelled) {
    g_clear_error(&played);
    played = g_error_new(TS_ERROR, TS_ERROR_SCENARIO, "%s: job %s: failures.repair: the cluster's spares = {...} "
                         "serve its jobs' node failures, with the cluster's repair time; leave spares and repair out "
                         "of the job's failures", job->where, job->name);
    ok = FALSE;
  }
  if (ok) {
    const TsResults *r = ts_run_get_results(run);
    const TsStorage *st = cluster->storage;
    out->name = g_strdup(job->name);
    out->group = g_strdup(job->group);
    out->priority = job->priority;
    out->devices = job->devices;
    out->arrival_s = job->arrival_s;
    out->alone_s = r->total_time_s;
    out->feasible = r->feasible && played == NULL;
    out->peak_device = r->peak_device;
    out->steps = r->steps;
    out->step_time_s = r->step_time_s;
    /* Kept by the cluster's run: the job's own run, freed below, may have composed them (run/infer.c). */
    out->error_band = ts_run_keep_string(cluster_run, r->error_band);
    out->calibration = ts_run_keep_string(cluster_run, r->calibration);
    out->band_error = r->band_error;
    /* A step reads step.storage seconds' worth of the storage's bandwidth (run/train-input.c): its rate alone. */
    out->read_bps = st != NULL && st->read_bw > 0 && r->step_time_s > 0 && r->step.storage > 0
                      ? r->step.storage * st->read_bw / r->step_time_s : 0;
    for (guint k = 0; st != NULL && k < cap.writes->len; k++)
      out->write_s += g_array_index(cap.writes, TsInterval, k).end_s - g_array_index(cap.writes, TsInterval, k).start_s;
    out->failures_modelled = r->failures_modelled;
    out->failures = r->failures;
    out->failures_expected = r->failures_expected;
    out->lost_s_alone = r->lost_time_s;
    out->own_host_usd = r->cost_host;
    out->own_storage_usd = r->cost_storage;
    out->own_network_usd = r->cost_network;
    out->own_network_modelled = r->network_cost_modelled;
    GArray *acts = g_array_new(FALSE, FALSE, sizeof(Activity));
    /* Every device sends its share of the reduction between nodes once per step (run/train-step.c). */
    out->fabric_bps = r->step_time_s > 0 && r->step.fabric_bytes > 0 ? r->step.fabric_bytes * job->devices /
                                                                           r->step_time_s : 0;
    activities_of(&cap, run, st, out->read_bps, out->fabric_bps, links, acts);
    segments_of(acts, r->total_time_s, tl->segments, tl->uses);
    g_array_unref(acts);
    g_array_append_vals(tl->checkpoints, cap.checkpoints->data, cap.checkpoints->len);
    const GArray *nf = ts_run_get_node_failures(run);
    if (nf != NULL)
      g_array_append_vals(tl->node_failures, nf->data, nf->len);
    collect_diagnostics(notes, run, job->name);
  } else {
    g_propagate_error(error, played);
    played = NULL;
  }
  g_clear_error(&played);
  g_array_unref(cap.steps);
  g_array_unref(cap.writes);
  for (guint k = 0; k < cap.downloads->len; k++)
    g_free(g_array_index(cap.downloads, Download, k).dataset);
  g_array_unref(cap.downloads);
  g_array_unref(cap.checkpoints);
  ts_run_free(run);
  return ok;
}

/* The jobs are placed on the pool's devices; its spare nodes are rented with it, so the cluster's run bills them
 * too (ts_run_play_jobs counts them as idle capacity, since no job holds them). */
static gboolean
add_spares(TsCluster *pool, const char *where, guint *spare_devices, GError **error)
{
  if (pool->spare_nodes == 0)
    return TRUE;
  guint per = MAX(1u, pool->accel.per_node);
  if (pool->accel.slice != NULL || pool->spare_nodes > (G_MAXINT32 - pool->accel.devices) / per) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: cluster: spares: %u nodes of %u devices %s", where,
                pool->spare_nodes, per, pool->accel.slice != NULL ? "on a TPU slice are not modelled"
                                                                  : "are more devices than trainsim counts");
    ts_cluster_free(pool);
    return FALSE;
  }
  *spare_devices = pool->spare_nodes * per;
  pool->accel.nodes += pool->spare_nodes;
  pool->accel.devices += *spare_devices;
  return TRUE;
}

static Links
links_of_cluster(const TsCluster *pool, const TsStorage *st)
{
  Links links = {g_array_new(FALSE, FALSE, sizeof(TsSharedLink)), -1, -1, -1, -1};
  if (pool->fabric_bw > 0)
    links.fabric = links_add(&links, "fabric", pool->fabric_bw);
  if (st != NULL && st->read_bw > 0)
    links.read = links_add(&links, "storage reads", st->read_bw);
  if (st != NULL)
    links.write = links_add(&links, "storage writes", st->write_bw);
  if (st != NULL && st->total_bw > 0)
    links.total = links_add(&links, "storage reads and writes", st->total_bw);
  return links;
}

static void
note_fabric_not_modelled(TsRun *run, const TsClusterJobs *jobs)
{
  guint talking = 0; /* jobs whose steps send between nodes */
  for (guint i = 0; i < jobs->n_jobs; i++)
    talking += jobs->jobs[i].fabric_bps > 0;
  if (talking > 1)
    ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "fabric-not-modelled", "%u jobs send data-parallel traffic between "
                          "nodes, but the cluster declares no fabric: their traffic does not contend (give cluster "
                          "{ fabric = \"...\" }, what the scale-out network carries between nodes at once)", talking);
}

TsRun *
scenario_run_jobs(const TsRegistry *registry, const TsScenarioOptions *options, TsSandbox *sb, TsBindings *b,
                  GError **error)
{
  lua_State *L = ts_sandbox_get_state(sb);
  const TsBindingsJob *first = &g_array_index(b->jobs, TsBindingsJob, 0);
  /* One cluster for all the jobs (a scenario with several pools is not modelled yet). */
  lua_rawgeti(L, LUA_REGISTRYINDEX, first->cluster_ref);
  for (guint i = 1; i < b->jobs->len; i++) {
    const TsBindingsJob *j = &g_array_index(b->jobs, TsBindingsJob, i);
    lua_rawgeti(L, LUA_REGISTRYINDEX, j->cluster_ref);
    gboolean same = lua_rawequal(L, -1, -2);
    lua_pop(L, 1);
    if (!same) {
      lua_pop(L, 1);
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: job{}: cluster: every job of a scenario runs on the same "
                  "cluster{} (job %s's is another); several clusters are not modelled yet", j->where, j->name);
      return NULL;
    }
  }
  g_autofree char *scheduler = ts_lua_dup_string(L, -1, "scheduler");
  TsCluster *pool = ts_bindings_to_cluster(L, -1, b, error);
  lua_pop(L, 1);
  if (pool == NULL) {
    g_prefix_error(error, "%s: cluster: ", first->where);
    return NULL;
  }
  TsSchedulerKind kind;
  if (!ts_scheduler_kind_from_name(scheduler, &kind)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: cluster: scheduler: expected \"fifo\", \"priority\", "
                "\"priority-preempt\" or \"fair\", got %s", first->where, scheduler ? scheduler : "nothing");
    ts_cluster_free(pool);
    return NULL;
  }
  guint pool_devices = pool->accel.devices, spare_devices = 0;
  if (!add_spares(pool, first->where, &spare_devices, error))
    return NULL;
  TsRunInfo info = {options->path, options->limits.seed, b->params, options->step_events};
  TsRun *run = ts_run_new(registry, &info);
  if (!ts_run_set_cluster(run, pool, error)) {
    g_prefix_error(error, "%s: ", first->where);
    ts_run_free(run);
    return NULL;
  }
  guint n = b->jobs->len;
  TsClusterJobs *jobs = g_new0(TsClusterJobs, 1);
  jobs->scheduler = kind;
  jobs->spare_devices = spare_devices;
  jobs->n_jobs = n;
  jobs->jobs = g_new0(TsJobResult, n);
  JobTimeline *tl = g_new0(JobTimeline, n);
  TsJobSpec *specs = g_new0(TsJobSpec, n);
  const TsStorage *st = ts_run_get_cluster(run)->storage;
  Links links = links_of_cluster(pool, st);
  JobNotes notes = {g_ptr_array_new_with_free_func(job_note_free), g_hash_table_new_full(g_str_hash, g_str_equal,
                                                                                           g_free, NULL)};
  gboolean ok = TRUE;
  for (guint i = 0; i < n && ok; i++) {
    tl[i].segments = g_array_new(FALSE, FALSE, sizeof(TsJobSegment));
    tl[i].uses = g_array_new(FALSE, FALSE, sizeof(TsLinkUse));
    tl[i].checkpoints = g_array_new(FALSE, FALSE, sizeof(double));
    tl[i].node_failures = g_array_new(FALSE, FALSE, sizeof(double));
    ok = play_job(registry, options, sb, b, i, run, &links, &notes, &jobs->jobs[i], &tl[i], error);
    if (!ok)
      break;
    const TsBindingsJob *j = &g_array_index(b->jobs, TsBindingsJob, i);
    specs[i] = (TsJobSpec){j->name, j->group, j->arrival_s, j->priority, j->devices,
                           (const TsJobSegment *) tl[i].segments->data, tl[i].segments->len,
                           (const double *) tl[i].checkpoints->data, tl[i].checkpoints->len, j->restart_s,
                           (const double *) tl[i].node_failures->data, tl[i].node_failures->len};
  }
  if (ok)
    add_job_notes(run, &notes);
  g_ptr_array_unref(notes.notes);
  g_hash_table_unref(notes.index);
  if (ok && links.fabric < 0)
    note_fabric_not_modelled(run, jobs);
  if (ok) {
    TsSparePool spares = {pool->spare_nodes, pool->spare_repair_s};
    jobs->schedule = ts_schedule_compute(kind, pool_devices, (const TsSharedLink *) links.links->data,
                                         links.links->len, spares.nodes > 0 ? &spares : NULL, specs, n, error);
    ok = jobs->schedule != NULL;
    if (!ok)
      g_prefix_error(error, "%s: ", first->where);
  }
  for (guint i = 0; i < n; i++) {
    if (tl[i].segments)
      g_array_unref(tl[i].segments);
    if (tl[i].uses)
      g_array_unref(tl[i].uses);
    if (tl[i].checkpoints)
      g_array_unref(tl[i].checkpoints);
    if (tl[i].node_failures)
      g_array_unref(tl[i].node_failures);
  }
  links_clear(&links);
  g_free(tl);
  g_free(specs);
  if (!ok) {
    ts_cluster_jobs_free(jobs);
    ts_run_free(run);
    return NULL;
  }
  for (guint i = 0; options->sinks && i < options->sinks->len; i++)
    ts_run_add_sink(run, g_ptr_array_index(options->sinks, i));
  ts_run_play_jobs(run, jobs);
  TsEngine *engine = ts_run_get_engine(run);
  ts_engine_run(engine, TS_TIME_MAX);
  ts_run_finish(run);
  if (ts_run_get_error(run) != NULL) {
    g_propagate_error(error, g_error_copy(ts_run_get_error(run)));
    return run;
  }
  if (!ts_run_get_results(run)->feasible)
    g_set_error(error, TS_ERROR, TS_ERROR_INFEASIBLE, "%s: a job did not fit (see its diagnostics)", options->path);
  return run;
}
