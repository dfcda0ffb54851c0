/* summary-jobs.h: what summary.json and the terminal say about several jobs on one cluster. */
#include "output/summary-jobs.h"

#include <math.h>

#include "run/jobs.h"
#include "units/units.h"

void
summary_write_cluster_jobs(TsJsonWriter *w, TsRun *run)
{
  const TsClusterJobs *c = ts_run_get_jobs(run);
  if (c == NULL)
    return;
  ts_json_string(w, "scheduler", ts_scheduler_kind_get_name(c->scheduler));
  ts_json_number(w, "utilisation", c->utilisation);
  ts_json_int(w, "spare_devices", c->spare_devices);
  ts_json_number(w, "busy_device_s", c->schedule->busy_device_s);
  ts_json_number(w, "billed_device_s", c->billed_device_s);
  ts_json_number(w, "idle_billed_device_s", c->idle_device_s);
  ts_json_number(w, "idle_billed_usd", c->idle_usd);
  /* Devices held by jobs from each time on: utilisation over time. */
  ts_json_begin_array(w, "busy_devices");
  for (guint i = 0; i < c->schedule->busy->len; i++) {
    const TsBusyPoint *p = &g_array_index(c->schedule->busy, TsBusyPoint, i);
    ts_json_begin_object(w, NULL);
    ts_json_number(w, "from_s", p->time_s);
    ts_json_int(w, "devices", p->busy);
    ts_json_end_object(w);
  }
  ts_json_end_array(w);
}

void
summary_write_jobs(TsJsonWriter *w, TsRun *run)
{
  const TsClusterJobs *c = ts_run_get_jobs(run);
  if (c == NULL)
    return;
  ts_json_begin_array(w, "jobs");
  for (guint i = 0; i < c->n_jobs; i++) {
    const TsJobResult *j = &c->jobs[i];
    const TsJobOutcome *o = &c->schedule->jobs[i];
    ts_json_begin_object(w, NULL);
    ts_json_string(w, "name", j->name);
    ts_json_string(w, "group", j->group);
    ts_json_int(w, "priority", j->priority);
    ts_json_int(w, "devices", j->devices);
    ts_json_bool(w, "feasible", j->feasible);
    ts_json_number(w, "arrival_s", j->arrival_s);
    ts_json_number(w, "queued_s", o->queued_s);
    ts_json_number(w, "start_s", o->start_s);
    ts_json_number(w, "end_s", o->end_s);
    ts_json_number(w, "held_s", o->held_s);
    ts_json_number(w, "alone_s", j->alone_s);
    ts_json_string(w, "error_band", j->error_band);   /* its run alone's, as the headline's (NULL: none) */
    ts_json_string(w, "calibration", j->calibration);
    ts_json_int(w, "preemptions", o->preemptions);
    ts_json_number(w, "lost_s", o->lost_s);
    ts_json_number(w, "read_bytes_per_s", j->read_bps);
    ts_json_number(w, "fabric_bytes_per_s", j->fabric_bps);
    ts_json_int(w, "node_failures", o->node_failures);
    ts_json_int(w, "repair_waits", o->repair_waits);
    ts_json_number(w, "repair_wait_s", o->repair_wait_s);
    ts_json_number(w, "cost_usd", j->cost_usd); /* null: the pool's price is unknown */
    ts_json_end_object(w);
  }
  ts_json_end_array(w);
}

void
summary_print_jobs(TsRun *run, FILE *out, const char *bold, const char *reset)
{
  const TsClusterJobs *c = ts_run_get_jobs(run);
  if (c == NULL)
    return;
  g_autofree char *idle = ts_format_usd(c->idle_usd);
  g_autofree char *spares = c->spare_devices > 0 ? g_strdup_printf(", %u spare devices", c->spare_devices)
                                                 : g_strdup("");
  fprintf(out, "\n  %sjobs%s (scheduler %s; devices %.1f %% busy%s, idle billed capacity %s)\n", bold, reset,
          ts_scheduler_kind_get_name(c->scheduler), 100.0 * c->utilisation, spares,
          isfinite(c->idle_usd) ? idle : "unknown");
  for (guint i = 0; i < c->n_jobs; i++) {
    const TsJobResult *j = &c->jobs[i];
    const TsJobOutcome *o = &c->schedule->jobs[i];
    g_autofree char *q = ts_format_duration(o->queued_s);
    g_autofree char *s = ts_format_duration(o->start_s);
    g_autofree char *e = ts_format_duration(o->end_s);
    g_autofree char *usd = ts_format_usd(j->cost_usd);
    g_autofree char *pre = o->preemptions ? g_strdup_printf(", preempted %u x", o->preemptions) : g_strdup("");
    fprintf(out, "    %-20s %4u dev  queued %-12s starts %-14s ends %-14s %s%s\n", j->name, j->devices, q, s, e,
            isfinite(j->cost_usd) ? usd : "cost unknown", pre);
  }
}
