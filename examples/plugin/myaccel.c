/* myaccel.c: an example trainsim device plugin, built out of tree against the installed SDK.
 *
 *   make                          # uses `pkg-config --cflags --libs trainsim-plugin`
 *   TRAINSIM_PLUGIN_PATH=$PWD trainsim plugins
 *   TRAINSIM_PLUGIN_PATH=$PWD trainsim devices myaccel
 *
 * It models a FICTIONAL accelerator, "MyAccel" (catalog: myaccel.json, which says so in every entry): the SDK's
 * roofline with a batch-dependent efficiency for compute, and a ring all-reduce over its links for collectives.
 * The SDK's helpers (<trainsim/plugin-helpers.h>, linked from libtrainsim-plugin-helpers.a) supply the instance
 * context and the formulas, so this file holds only what is MyAccel's own.  Copy it, rename it, replace the
 * model.  docs/plugins.md walks through every part. */
#include <trainsim/plugin-helpers.h>

/* Constants of the model.  A real plugin cites its evidence for each (docs/model.md does for the bundled
 * plugins); these are made up, like the device. */
#define MYACCEL_LINK_EFFICIENCY 0.8 /* achieved fraction of link line rate in a ring */
#define MYACCEL_HOP_LATENCY 2e-6    /* seconds per ring step */

/* Roofline: max(flops / (peak x eff(b)), bytes / memory bandwidth), eff(b) = eff_max x b / (b + b_half), with
 * eff_max and b_half from calibration.json (0.5 and no batch curve while the generation is uncalibrated).  The
 * instance is the SDK's TsPluginInstance (ts_plugin_instance_new): a copy of the SKU's spec and the host API.
 * A precision the SKU has no peak for is TS_PLUGIN_UNSUPPORTED, and the helper's reason reaches the user. */
static int
myaccel_compute_time(void *instance, const TsWork *work, double *seconds, char *errbuf, size_t errlen)
{
  return ts_roofline_time(ts_plugin_instance_spec(instance), work, seconds, errbuf, errlen);
}

/* Ring all-reduce over all of a device's links: 2(n-1)/n x bytes / bandwidth + 2(n-1) hops of latency
 * (ts_ring_all_reduce).  Reduce-scatter and all-gather are half of that (ts_collective_scale); all-to-all is
 * not modelled, and says so (the host reports that term as null, never as 0 s). */
static int
myaccel_collective_time(void *instance, const TsCollective *c, double *seconds, char *errbuf, size_t errlen)
{
  const TsDeviceSpec *s = ts_plugin_instance_spec(instance);
  if (c->kind == TS_COLLECTIVE_ALL_TO_ALL) {
    ts_plugin_reason(errbuf, errlen, "all-to-all is not modelled by this example");
    return TS_PLUGIN_NOT_MODELLED;
  }
  double links = s->links > 0 ? s->links : 1;
  double bw = links * s->link_bandwidth * MYACCEL_LINK_EFFICIENCY;
  if (c->participants > 1 && c->bytes > 0 && !(bw > 0)) {
    ts_plugin_reason(errbuf, errlen, "%s states no link bandwidth", s->sku);
    return TS_PLUGIN_UNSUPPORTED;
  }
  *seconds = ts_collective_scale(c->kind, ts_ring_all_reduce(c->bytes, c->participants, bw, MYACCEL_HOP_LATENCY));
  return TS_PLUGIN_OK;
}

/* Static and const: the descriptor is the only thing the plugin shares, and nobody writes to it.  All mutable
 * state would live in the instance (one per simulation and SKU), never in globals. */
static const TsPluginDescriptor myaccel_descriptor = {
  .abi_major = TS_PLUGIN_ABI_MAJOR,
  .abi_minor = TS_PLUGIN_ABI_MINOR,
  .size = sizeof(TsPluginDescriptor),
  .name = "myaccel",
  .version = "0.1",
  .description = "EXAMPLE plugin for a fictional accelerator (examples/plugin)",
  .catalog = "myaccel.json",
  .instance_new = ts_plugin_instance_new,   /* the SDK's: copies the spec, keeps the host API */
  .instance_free = ts_plugin_instance_free,
  .compute_time = myaccel_compute_time,
  .collective_time = myaccel_collective_time,
  .input_rate = NULL,     /* not a CPU: no input pipeline */
  .operation_time = NULL, /* no operator-level model of its own: the host's roofline answers (plugin-abi.md) */
};

TS_PLUGIN_DEFINE(myaccel_descriptor)
