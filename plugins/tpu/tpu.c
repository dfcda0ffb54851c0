/* Cloud TPU slices: roofline compute on the MXUs, all-reduce over the ICI torus (2D for v2/v3/v5e/v6e,
 * 3D for v4/v5p) and over the data-centre network between slices.  docs/model.md, "TPU". */
#include "../common/roofline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Achieved fraction of ICI link bandwidth in an all-reduce (docs/model.md). */
#define TPU_ICI_EFFICIENCY 0.80
#define TPU_DCN_EFFICIENCY 0.80
#define TPU_DEFAULT_ICI_LATENCY 1e-6
#define TPU_DEFAULT_DCN_LATENCY 20e-6

typedef struct {
  TsDeviceSpec spec;
} TpuInstance;

static int
tpu_instance_new(const TsHostApi *host, const TsDeviceSpec *spec, void **instance, char *errbuf, size_t errlen)
{
  (void) host;
  if (spec == NULL || spec->size < offsetof(TsDeviceSpec, reserved)) {
    if (errbuf && errlen)
      strncpy(errbuf, "device spec is older than this plugin understands", errlen - 1);
    return TS_PLUGIN_FAILED;
  }
  TpuInstance *t = calloc(1, sizeof *t);
  if (t == NULL)
    return TS_PLUGIN_FAILED;
  memcpy(&t->spec, spec, sizeof t->spec);
  *instance = t;
  return TS_PLUGIN_OK;
}

static void
tpu_instance_free(void *instance)
{
  free(instance);
}

static int
tpu_compute_time(void *instance, const TsWork *work, double *seconds)
{
  return ts_roofline_time(&((TpuInstance *) instance)->spec, work, seconds);
}

/* Torus all-reduce as successive bidirectional rings, one dimension at a time: reduce-scatter along x
 * leaves 1/x of the data on each chip, then along y on that, and so on; the all-gather retraces the
 * steps.  A bidirectional ring uses both links of its dimension, so each step runs at 2 × link rate. */
static double
torus_all_reduce(const TsDeviceSpec *s, double bytes, const uint32_t dims[3])
{
  double bw = 2.0 * s->link_bandwidth * TPU_ICI_EFFICIENCY;
  double lat = s->link_latency_s > 0 ? s->link_latency_s : TPU_DEFAULT_ICI_LATENCY;
  double t = 0.0, share = bytes;
  for (int d = 0; d < 3; d++) {
    double n = dims[d];
    if (n <= 1)
      continue;
    t += ts_ring_all_reduce(share, n, bw, lat);
    share /= n;
  }
  return t;
}

static int
tpu_collective_time(void *instance, const TsCollective *c, double *seconds)
{
  const TsDeviceSpec *s = &((TpuInstance *) instance)->spec;
  double n = c->participants;
  if (n <= 1 || c->bytes <= 0) {
    *seconds = 0;
    return TS_PLUGIN_OK;
  }
  uint32_t dims[3] = {c->dims[0], c->dims[1], c->dims[2]};
  double per_slice = (double) (dims[0] ? dims[0] : 1) * (dims[1] ? dims[1] : 1) * (dims[2] ? dims[2] : 1);
  if (dims[0] == 0) {
    /* No shape given: treat the group as a ring of chips. */
    dims[0] = (uint32_t) n;
    dims[1] = dims[2] = 1;
    per_slice = n;
  }
  if (c->kind == TS_COLLECTIVE_ALL_TO_ALL) {
    /* Bisection-limited: half of the data crosses the torus' bisection of 2·links·bw per chip row. */
    double links = s->links > 0 ? s->links : 4;
    *seconds = ts_all_to_all(c->bytes, per_slice, links * s->link_bandwidth * TPU_ICI_EFFICIENCY / 2.0,
                             TPU_DEFAULT_ICI_LATENCY);
    return TS_PLUGIN_OK;
  }
  double t = torus_all_reduce(s, c->bytes, dims);
  double slices = ceil(n / per_slice);
  if (slices > 1) {
    /* Across slices over the DCN: each chip carries 1/per_slice of the data on its share of the host NIC. */
    double bw = s->network_bandwidth * TPU_DCN_EFFICIENCY;
    if (!(bw > 0))
      return TS_PLUGIN_UNSUPPORTED;
    t += ts_ring_all_reduce(c->bytes / per_slice, slices, bw, TPU_DEFAULT_DCN_LATENCY);
  }
  *seconds = ts_collective_scale(c->kind, t);
  return TS_PLUGIN_OK;
}

static const TsPluginDescriptor tpu_descriptor = {
  .abi_major = TS_PLUGIN_ABI_MAJOR,
  .abi_minor = TS_PLUGIN_ABI_MINOR,
  .size = sizeof(TsPluginDescriptor),
  .name = "tpu",
  .version = "1.0",
  .description = "Google Cloud TPU slices: roofline compute, ICI torus and DCN collectives",
  .catalog = "tpu.json",
  .instance_new = tpu_instance_new,
  .instance_free = tpu_instance_free,
  .compute_time = tpu_compute_time,
  .collective_time = tpu_collective_time,
  .input_rate = NULL,
};

TS_PLUGIN_DEFINE(tpu_descriptor)
