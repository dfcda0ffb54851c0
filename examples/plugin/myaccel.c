/* myaccel.c: an example trainsim device plugin, built out of tree against the installed header.
 *
 *   make                          # uses `pkg-config --cflags trainsim-plugin`
 *   TRAINSIM_PLUGIN_PATH=$PWD trainsim plugins
 *   TRAINSIM_PLUGIN_PATH=$PWD trainsim devices myaccel
 *
 * It models a FICTIONAL accelerator, "MyAccel" (catalog: myaccel.json, which says so in every entry): a
 * roofline with a batch-dependent efficiency for compute, and a ring all-reduce over its links for
 * collectives.  Copy it, rename it, replace the model.  docs/plugins.md walks through every part. */
#include <trainsim/plugin.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Constants of the model.  A real plugin cites its evidence for each (docs/model.md does for the bundled
 * plugins); these are made up, like the device. */
#define MYACCEL_DEFAULT_EFFICIENCY 0.5 /* achieved fraction of peak at large batch, when the catalog has none */
#define MYACCEL_LINK_EFFICIENCY 0.8    /* achieved fraction of link line rate in a ring */
#define MYACCEL_HOP_LATENCY 2e-6       /* seconds per ring step */

/* Everything mutable lives here, one per simulation and SKU: no globals, so the host may call one plugin
 * from several simulations on several threads at once. */
typedef struct {
  const TsHostApi *host; /* valid for the instance's lifetime */
  TsDeviceSpec spec;     /* a copy; its strings belong to the host and outlive the instance */
  unsigned long calls;   /* per-instance state: only this instance's thread touches it */
} MyAccel;

static void
say(const MyAccel *m, const char *message)
{
  /* The host API is versioned like everything else: check that the field exists before calling it. */
  if (m->host != NULL && TS_STRUCT_HAS(m->host, TsHostApi, log) && m->host->log != NULL)
    m->host->log(m->host->host_data, "myaccel", message);
}

static int
myaccel_instance_new(const TsHostApi *host, const TsDeviceSpec *spec, void **instance, char *errbuf, size_t errlen)
{
  if (spec == NULL || !TS_STRUCT_HAS(spec, TsDeviceSpec, memory_bandwidth)) {
    snprintf(errbuf, errlen, "device spec is older than this plugin understands");
    return TS_PLUGIN_FAILED;
  }
  MyAccel *m = calloc(1, sizeof *m);
  if (m == NULL) {
    snprintf(errbuf, errlen, "out of memory");
    return TS_PLUGIN_FAILED;
  }
  /* A host built for an older ABI minor passes a shorter struct: copy what it filled, leave the rest 0. */
  memcpy(&m->spec, spec, spec->size < sizeof m->spec ? spec->size : sizeof m->spec);
  m->spec.size = sizeof m->spec;
  m->host = host;
  *instance = m;
  return TS_PLUGIN_OK;
}

static void
myaccel_instance_free(void *instance)
{
  free(instance);
}

/* Roofline: max(flops / (peak x eff(b)), bytes / memory bandwidth), eff(b) = eff_max x b / (b + b_half). */
static int
myaccel_compute_time(void *instance, const TsWork *work, double *seconds, char *errbuf, size_t errlen)
{
  MyAccel *m = instance;
  if (m->calls++ == 0)
    say(m, "first compute_time call");
  if (work->precision < 0 || work->precision >= TS_PRECISION_COUNT) {
    snprintf(errbuf, errlen, "unknown precision %d", (int) work->precision);
    return TS_PLUGIN_UNSUPPORTED;
  }
  double peak = m->spec.peak_dense[work->precision];
  if (!(peak > 0)) {
    /* The host shows this reason to the user, after the plugin's name and the SKU. */
    snprintf(errbuf, errlen, "%s has no arithmetic at this precision (no dense peak in myaccel.json)", m->spec.sku);
    return TS_PLUGIN_UNSUPPORTED;
  }
  int w = work->workload >= 0 && work->workload < TS_WORKLOAD_COUNT ? work->workload : TS_WORKLOAD_TRANSFORMER;
  double eff = m->spec.efficiency[w] > 0 ? m->spec.efficiency[w] : MYACCEL_DEFAULT_EFFICIENCY;
  double half = m->spec.half_batch[w];
  if (half > 0 && work->batch_per_device > 0)
    eff *= work->batch_per_device / (work->batch_per_device + half);
  double t_math = work->flops > 0 ? work->flops / (peak * eff) : 0.0;
  double t_mem = work->bytes > 0 && m->spec.memory_bandwidth > 0 ? work->bytes / m->spec.memory_bandwidth : 0.0;
  *seconds = fmax(t_math, t_mem);
  return TS_PLUGIN_OK;
}

/* Ring all-reduce over all of a device's links: 2(n-1)/n x bytes / bandwidth + 2(n-1) hops of latency.
 * Reduce-scatter and all-gather are half of that; all-to-all is not modelled, and says so (the host reports
 * that term as null, never as 0 s). */
static int
myaccel_collective_time(void *instance, const TsCollective *c, double *seconds, char *errbuf, size_t errlen)
{
  const MyAccel *m = instance;
  double n = c->participants;
  if (n <= 1 || !(c->bytes > 0)) {
    *seconds = 0;
    return TS_PLUGIN_OK;
  }
  double links = m->spec.links > 0 ? m->spec.links : 1;
  double bw = links * m->spec.link_bandwidth * MYACCEL_LINK_EFFICIENCY;
  if (c->kind == TS_COLLECTIVE_ALL_TO_ALL) {
    snprintf(errbuf, errlen, "all-to-all is not modelled by this example");
    return TS_PLUGIN_NOT_MODELLED;
  }
  if (!(bw > 0)) {
    snprintf(errbuf, errlen, "%s states no link bandwidth", m->spec.sku);
    return TS_PLUGIN_UNSUPPORTED;
  }
  double t = 2.0 * (n - 1.0) / n * c->bytes / bw + 2.0 * (n - 1.0) * MYACCEL_HOP_LATENCY;
  if (c->kind == TS_COLLECTIVE_ALL_GATHER || c->kind == TS_COLLECTIVE_REDUCE_SCATTER)
    t /= 2.0;
  *seconds = t;
  return TS_PLUGIN_OK;
}

/* Static and const: the descriptor is the only thing the plugin shares, and nobody writes to it. */
static const TsPluginDescriptor myaccel_descriptor = {
  .abi_major = TS_PLUGIN_ABI_MAJOR,
  .abi_minor = TS_PLUGIN_ABI_MINOR,
  .size = sizeof(TsPluginDescriptor),
  .name = "myaccel",
  .version = "0.1",
  .description = "EXAMPLE plugin for a fictional accelerator (examples/plugin)",
  .catalog = "myaccel.json",
  .instance_new = myaccel_instance_new,
  .instance_free = myaccel_instance_free,
  .compute_time = myaccel_compute_time,
  .collective_time = myaccel_collective_time,
  .input_rate = NULL,     /* not a CPU: no input pipeline */
  .operation_time = NULL, /* no operator-level model of its own: the host's roofline answers (plugin-abi.md) */
};

TS_PLUGIN_DEFINE(myaccel_descriptor)
