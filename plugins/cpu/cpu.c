/* Server and workstation CPUs: they can train (roofline on vector FP32), but their main job in an
 * accelerator run is the input pipeline (JPEG decode + augmentation, tokenization).  docs/model.md, "CPU". */
#include "trainsim/plugin-helpers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CPU_NET_EFFICIENCY 0.80
#define CPU_DEFAULT_NET_LATENCY 20e-6

static int
cpu_collective_time(void *instance, const TsCollective *c, double *seconds, char *errbuf, size_t errlen)
{
  const TsDeviceSpec *s = ts_plugin_instance_spec(instance);
  double bw = s->network_bandwidth * CPU_NET_EFFICIENCY;
  if (c->participants <= 1 || c->bytes <= 0) {
    *seconds = 0;
    return TS_PLUGIN_OK;
  }
  if (c->per_node >= c->participants && s->memory_bandwidth > 0) {
    /* Sockets of one machine reduce through shared memory: each byte is read and written once per step of
     * the ring, at the socket's memory bandwidth (halved: reads and writes share it). */
    bw = s->memory_bandwidth * 0.5;
  }
  if (!(bw > 0)) {
    ts_plugin_reason(errbuf, errlen, "%s states neither a network bandwidth nor a memory bandwidth to reduce over",
                     s->sku ? s->sku : "this CPU");
    return TS_PLUGIN_UNSUPPORTED;
  }
  double lat = s->network_latency_s > 0 ? s->network_latency_s : CPU_DEFAULT_NET_LATENCY;
  if (c->kind == TS_COLLECTIVE_ALL_TO_ALL)
    *seconds = ts_all_to_all(c->bytes, c->participants, bw, lat);
  else
    *seconds = ts_collective_scale(c->kind, ts_ring_all_reduce(c->bytes, c->participants, bw, lat));
  return TS_PLUGIN_OK;
}

static int
cpu_input_rate(void *instance, const TsInputWork *w, double *per_second, char *errbuf, size_t errlen)
{
  const TsDeviceSpec *s = ts_plugin_instance_spec(instance);
  double per_core = w->kind == TS_INPUT_TOKENS ? s->input_tokens_per_core_s : s->input_images_per_core_s;
  if (!(per_core > 0)) {
    ts_plugin_reason(errbuf, errlen, "%s states no input rate per core for %s", s->sku ? s->sku : "this CPU",
                     w->kind == TS_INPUT_TOKENS ? "tokens" : "images");
    return TS_PLUGIN_UNSUPPORTED;
  }
  *per_second = per_core * (w->cores > 0 ? w->cores : 0);
  return TS_PLUGIN_OK;
}

static const TsPluginDescriptor cpu_descriptor = {
  .abi_major = TS_PLUGIN_ABI_MAJOR,
  .abi_minor = TS_PLUGIN_ABI_MINOR,
  .size = sizeof(TsPluginDescriptor),
  .name = "cpu",
  .version = "1.0",
  .description = "Server and workstation CPUs: vector compute, cluster network, input-pipeline rate",
  .catalog = "cpu.json",
  .instance_new = ts_plugin_instance_new,
  .instance_free = ts_plugin_instance_free,
  .compute_time = ts_plugin_instance_compute_time,
  .collective_time = cpu_collective_time,
  .input_rate = cpu_input_rate,
  .operation_time = ts_plugin_instance_operation_time,
};

TS_PLUGIN_DEFINE(cpu_descriptor)
