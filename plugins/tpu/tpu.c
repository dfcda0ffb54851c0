/* Cloud TPU slices: roofline compute on the MXUs, all-reduce over the ICI torus (2D for v2/v3/v5e/v6e,
 * 3D for v4/v5p) and over the data-centre network between slices.  docs/model.md, "TPU". */
#include "trainsim/plugin-helpers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Achieved fraction of ICI link bandwidth in an all-reduce.  Google publishes "all-reduce bandwidth per
 * Pod" of 340 TB/s for the 1,024-chip v3 pod and 1.1 PB/s for the 4,096-chip v4 pod
 * (https://cloud.google.com/tpu/docs/v3, https://cloud.google.com/tpu/docs/v4): 332 and 269 GB/s per chip,
 * i.e. 1.01 and 0.90 of the sum of each chip's ICI link rates (4 x 82 and 6 x 50 GB/s per direction) --
 * specification figures with every link busy.  0.80 is NCCL's measured fraction of NVLink line rate
 * (docs/model.md, "Link efficiencies"); no measured ICI fraction was found, so the same is assumed.
 * tests/test-devices.c holds the torus model to Google's figures within 25 %. */
#define TPU_ICI_EFFICIENCY 0.80
#define TPU_DCN_EFFICIENCY 0.80
#define TPU_DEFAULT_ICI_LATENCY 1e-6
#define TPU_DEFAULT_DCN_LATENCY 20e-6

/* Torus all-reduce as successive bidirectional rings, one dimension at a time: reduce-scatter along one
 * dimension leaves 1/n of the data on each chip, the next dimension works on that share, and so on; the
 * all-gather retraces the steps (the factor 2 in the ring formula).  A bidirectional ring uses both links of
 * its dimension, so each step runs at 2 x link rate.
 *
 * Every dimension works at once: the payload is split into D parts (D = dimensions longer than 1) and part r
 * visits the dimensions in the order r, r+1, ... (mod D), so while one part reduce-scatters along x another
 * does along y.  The time is that of the busiest dimension's links plus one part's hop latencies.  This is
 * the model's reading of the "2-D torus all-reduce" Google runs on TPU pods (Ying et al. 2018, arXiv
 * 1811.06992), generalised to 3-D; the split is an assumption, checked against Google's all-reduce
 * bandwidth per pod (TPU_ICI_EFFICIENCY above), which only an all-links-busy scheme can approach: the bus
 * bandwidth tends to links x link rate x efficiency, where one dimension at a time reaches 2 x link rate. */
static double
torus_all_reduce(const TsDeviceSpec *s, double bytes, const uint32_t dims[3], uint32_t mesh_dims)
{
  double lat = s->link_latency_s > 0 ? s->link_latency_s : TPU_DEFAULT_ICI_LATENCY;
  double n[3], bw[3];
  int used = 0;
  for (int d = 0; d < 3; d++)
    if (dims[d] > 1) {
      n[used] = dims[d];
      /* A dimension without wraparound is a line: its end chips have one link in it, so a ring embedded in
       * the line moves data at one link rate, not two (v4/v5p slices smaller than a 4x4x4 cube). */
      bw[used] = ((mesh_dims >> d) & 1u ? 1.0 : 2.0) * s->link_bandwidth * TPU_ICI_EFFICIENCY;
      used++;
    }
  if (used == 0 || bytes <= 0)
    return 0.0;
  double part = bytes / used;
  double busiest = 0.0, latency = 0.0;
  for (int d = 0; d < used; d++) {
    /* Load on dimension d's links: every part passes it once, on the share left by the dimensions it
     * visited before (bandwidth term of the ring formula only; latency is added once below). */
    double load = 0.0;
    for (int r = 0; r < used; r++) {
      double share = part;
      for (int k = r; k % used != d; k++)
        share /= n[k % used];
      load += ts_ring_all_reduce(share, n[d], bw[d], 0.0);
    }
    if (load > busiest)
      busiest = load;
    latency += 2.0 * (n[d] - 1.0) * lat;
  }
  return busiest + latency;
}

static int
tpu_collective_time(void *instance, const TsCollective *c, double *seconds, char *errbuf, size_t errlen)
{
  const TsDeviceSpec *s = ts_plugin_instance_spec(instance);
  double n = c->participants;
  if (n <= 1 || c->bytes <= 0) {
    *seconds = 0;
    return TS_PLUGIN_OK;
  }
  uint32_t dims[3] = {c->dims[0], c->dims[1], c->dims[2]};
  uint32_t mesh = TS_STRUCT_HAS(c, TsCollective, mesh_dims) ? c->mesh_dims : 0;
  double per_slice = (double) (dims[0] ? dims[0] : 1) * (dims[1] ? dims[1] : 1) * (dims[2] ? dims[2] : 1);
  if (dims[0] == 0) {
    /* No shape given: treat the group as a ring of chips. */
    dims[0] = (uint32_t) n;
    dims[1] = dims[2] = 1;
    per_slice = n;
    mesh = 0;
  }
  /* The group's members in one slice: per_node when the host gives a slice shape and says (several slices,
   * or a data-parallel group that is a part of the slice's chips), else the whole slice.  A group with no
   * shape (tensor-parallel ranks) is one ring within a slice. */
  if (c->dims[0] != 0 && c->per_node > 0 && c->per_node < per_slice)
    per_slice = c->per_node;
  if (per_slice > n)
    per_slice = n;
  if (c->kind == TS_COLLECTIVE_ALL_TO_ALL) {
    /* Bisection-limited: half of the data crosses the torus' bisection of 2·links·bw per chip row. */
    double links = s->links > 0 ? s->links : 4;
    *seconds = ts_all_to_all(c->bytes, per_slice, links * s->link_bandwidth * TPU_ICI_EFFICIENCY / 2.0,
                             TPU_DEFAULT_ICI_LATENCY);
    return TS_PLUGIN_OK;
  }
  /* One member per slice (hybrid sharding's all-reduce between the groups): nothing crosses the ICI. */
  double t = per_slice > 1 ? torus_all_reduce(s, c->bytes, dims, mesh) : 0.0;
  double slices = ceil(n / per_slice);
  if (slices > 1) {
    /* Hierarchical: the reduce-scatter within each slice leaves 1/per_slice of the data on each chip; the
     * chips holding the same share in every slice all-reduce it over the data-centre network, each on its
     * share of its host's NICs (all chips of a host send at once); the all-gather within the slice follows. */
    double bw = s->network_bandwidth * TPU_DCN_EFFICIENCY;
    if (!(bw > 0)) {
      ts_plugin_reason(errbuf, errlen, "TPU %s states no data-centre network bandwidth, so a collective across "
                       "%.0f slices is not possible here", s->sku ? s->sku : "?", slices);
      return TS_PLUGIN_UNSUPPORTED;
    }
    double lat = s->network_latency_s > 0 ? s->network_latency_s : TPU_DEFAULT_DCN_LATENCY;
    t += ts_ring_all_reduce(c->bytes / per_slice, slices, bw, lat);
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
  .instance_new = ts_plugin_instance_new,
  .instance_free = ts_plugin_instance_free,
  .compute_time = ts_plugin_instance_compute_time,
  .collective_time = tpu_collective_time,
  .input_rate = NULL,
  .operation_time = ts_plugin_instance_operation_time,
};

TS_PLUGIN_DEFINE(tpu_descriptor)
