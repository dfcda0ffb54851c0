/* Cloud TPU slices: roofline compute on the MXUs, all-reduce over the ICI torus (2D for v2/v3/v5e/v6e,
 * 3D for v4/v5p) and over the data-centre network between slices.  docs/model.md, "TPU". */
#include "trainsim/plugin-helpers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Torus all-reduce: ts_torus_all_reduce (the SDK's helpers), over the ICI links at this efficiency.
 *
 * Achieved fraction of ICI link bandwidth in an all-reduce.  Google publishes "all-reduce bandwidth per
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
  double ici_lat = s->link_latency_s > 0 ? s->link_latency_s : TPU_DEFAULT_ICI_LATENCY;
  double t = per_slice > 1 ? ts_torus_all_reduce(c->bytes, dims, mesh, s->link_bandwidth * TPU_ICI_EFFICIENCY,
                                                 ici_lat)
                           : 0.0;
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

/* An MXU is a weight-stationary systolic array: a k x n block of one operand sits in the tile x tile array and the
 * m rows of the other stream through it, so k and n are padded to the tile edge and m is not (Cloud TPU system
 * architecture: "128 x 128 multiply-accumulators in a systolic array"; Jouppi et al. 2017, "In-Datacenter
 * Performance Analysis of a Tensor Processing Unit", section 2: weights are loaded into the matrix unit and data
 * flows through).  docs/model.md, "Operator-level model". */
static int
tpu_operation_time(void *instance, const TsOperation *op, double *seconds, char *errbuf, size_t errlen)
{
  return ts_roofline_operation_time_tiled(ts_plugin_instance_spec(instance), op, TS_TILE_N | TS_TILE_K, seconds,
                                          errbuf, errlen);
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
  .operation_time = tpu_operation_time,
};

TS_PLUGIN_DEFINE(tpu_descriptor)
