/* Input- and storage-bound steps: the host CPUs that decode and augment the samples, and the storage they are
 * read from, bound the devices' step from below (docs/model.md, "Input pipeline"). */
#include "run/train-private.h"

#include "units/units.h"

/* A bandwidth as scenarios state it: decimal units ("20 MB/s"). */
static char *
format_rate(double bytes_per_s)
{
  if (bytes_per_s >= 1e9)
    return g_strdup_printf("%.3g GB/s", bytes_per_s / 1e9);
  if (bytes_per_s >= 1e6)
    return g_strdup_printf("%.3g MB/s", bytes_per_s / 1e6);
  return g_strdup_printf("%.3g kB/s", bytes_per_s / 1e3);
}

/* The input pipeline bounds the step from below: host CPUs decode and augment every view of every sample. */
void
input_bound(StepCost *c, double *step)
{
  TsRun *run = c->run;
  const TsMachineGroup *a = &run->cluster->accel;
  if (run->host_cpu == NULL || a->host_cores <= 0) {
    if (!c->quiet)
      ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "input-not-modelled",
                          "%s: no host CPU given (host = {cpu = ..., sockets = ...}): the input pipeline is not modelled",
                          c->where);
    return;
  }
  TsInputWork iw;
  ts_input_work_init(&iw);
  iw.kind = c->spec->data->tokens ? TS_INPUT_TOKENS : TS_INPUT_IMAGES;
  iw.cores = c->spec->input_cores > 0 ? c->spec->input_cores : a->host_cores;
  double rate;
  g_autoptr(GError) error = NULL;
  if (!ts_device_input_rate(run->host_cpu, &iw, &rate, &error) || !(rate > 0)) {
    if (!c->quiet)
      ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "input-not-modelled", "%s: %s", c->where,
                          error ? error->message : "no input rate");
    return;
  }
  double per_step = (double) c->spec->batch * c->spec->views * (1.0 - c->spec->padding); /* useful tokens only */
  if (c->spec->data->tokens && c->spec->model->seq > 0)
    per_step *= c->spec->model->seq;
  double input = per_step / (rate * (a->nodes ? a->nodes : 1));
  if (input > *step) {
    if (!c->quiet)
      ts_run_add_diagnostic(run, TS_SEVERITY_WARNING, "input-bound",
                          "%s: input-bound: the host CPUs prepare a step in %.4g s, the devices compute it in %.4g s",
                          c->where, input, *step);
    *step = input;
    c->bound = TS_STEP_BOUND_INPUT;
  }
  c->step.input = input;
}

/* Reading the data bounds the step from below too: every sample of a step is read once (its views are
 * augmented from the one read) from the storage the dataset lives on -- the run's bucket or shared file
 * system, whose read bandwidth all hosts share, or else each host's local disk, which reads that host's share
 * of the batch.  A bucket holds the dataset as downloaded; a local disk its extracted files. */
void
storage_bound(StepCost *c, double *step)
{
  TsRun *run = c->run;
  const TsMachineGroup *a = &run->cluster->accel;
  const TsStorage *st = run->cluster->storage;
  const TsDataset *ds = c->spec->data;
  double nodes = a->nodes ? a->nodes : 1;
  double per_sample = ds->samples > 0 ? (st != NULL ? ds->bytes : ds->extracted) / (double) ds->samples : 0;
  double bytes, bw;
  if (st != NULL) {
    bytes = (double) c->spec->batch * (1.0 - c->spec->padding) * per_sample; /* padding is not read */
    bw = st->read_bw;
  } else {
    bytes = (double) c->spec->batch * (1.0 - c->spec->padding) / nodes * per_sample;
    bw = a->disk_read_bandwidth;
  }
  /* Named only for a diagnostic: an estimate (quiet) allocates nothing here. */
  g_autofree char *what = c->quiet      ? NULL
                          : st != NULL ? g_strdup_printf("%s read bandwidth", st->name)
                                       : g_strdup("local disk read bandwidth");
  if (!(bw > 0)) {
    if (!c->quiet)
      ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "storage-not-modelled", "%s: the %s is not stated (%s): reading "
                          "the data is not modelled", c->where, what,
                          st != NULL ? "read = \"... GB/s\"" : "host = {disk_read = \"... GB/s\"}");
    return;
  }
  double read = bytes / bw;
  c->step.storage = read;
  if (read > *step) {
    if (!c->quiet) {
      g_autofree char *rate = format_rate(bw);
      g_autofree char *per = ts_format_bytes(bytes);
      ts_run_add_diagnostic(run, TS_SEVERITY_WARNING, "storage-bound", "%s: storage-bound: the %s (%s) is the "
                            "bottleneck: a step reads %s%s in %.4g s, the %s it in %.4g s", c->where, what, rate, per,
                            st != NULL ? "" : " per host", read,
                            c->bound == TS_STEP_BOUND_DEVICES ? "devices compute" : "host CPUs prepare", *step);
    }
    *step = read;
    c->bound = TS_STEP_BOUND_STORAGE;
  }
}
