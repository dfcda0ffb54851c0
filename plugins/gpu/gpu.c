/* NVIDIA GPU nodes: roofline compute, NVLink/NVSwitch inside a node, InfiniBand/Ethernet between nodes.
 * Equations and constants: docs/model.md, "GPU". */
#include "trainsim/plugin-helpers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Achieved fraction of link bandwidth in NCCL's bus-bandwidth terms: nccl-tests report all-reduce busbw
 * of about 230 GB/s on DGX A100 (NVLink3, 300 GB/s per direction) and about 80 % of line rate across
 * InfiniBand; docs/model.md cites both. */
#define GPU_BUS_EFFICIENCY 0.78
#define GPU_NET_EFFICIENCY 0.80
/* NVLink SHARP (the NVSwitch reduces; NCCL's default all-reduce on H100 since NCCL 2.17/2.18): on 8 x H100 "a peak
 * busBw of ~480GB/s (algbw ~275GB/s)" (NCCL's maintainer, nccl-tests #212, 2024-05-06), against a line rate of
 * 450 GB/s per direction: each GPU's data crosses its links once, at 275 / 450 = 0.61 of line rate. */
#define GPU_NVLS_EFFICIENCY 0.61
#define GPU_DEFAULT_NVLINK_LATENCY 5e-6
#define GPU_DEFAULT_NET_LATENCY 10e-6

static double
nvlink_line(const TsDeviceSpec *s)
{
  double links = s->links > 0 ? s->links : 1;
  return s->link_bandwidth * links;
}

static double
nvlink_bw(const TsDeviceSpec *s)
{
  return nvlink_line(s) * GPU_BUS_EFFICIENCY;
}

static double
network_bw(const TsDeviceSpec *s)
{
  return s->network_bandwidth * GPU_NET_EFFICIENCY;
}

/* All-reduce inside one NVLink domain of k GPUs: a ring, or, where the catalog says the switches reduce
 * (nvlink_sharp), NVLink SHARP -- each GPU sends its B bytes into the switch and reads the reduced B back, so
 * B / (line x GPU_NVLS_EFFICIENCY) plus a switch round trip -- whichever is faster (NCCL keeps the ring on few
 * GPUs, where it is as fast: nccl #1455 measured equal busbw on 2-4 H100s). */
static double
domain_all_reduce(const TsDeviceSpec *s, double bytes, double k, double bw_in, double lat_in)
{
  double ring = ts_ring_all_reduce(bytes, k, bw_in, lat_in);
  double sharp = TS_STRUCT_HAS(s, TsDeviceSpec, nvlink_sharp) && s->nvlink_sharp > 0
                   ? nvlink_line(s) * GPU_NVLS_EFFICIENCY : 0;
  if (k <= 1 || bytes <= 0 || !(sharp > 0))
    return ring;
  return fmin(ring, bytes / sharp + 2.0 * lat_in);
}

/* All-reduce over n GPUs, k per NVLink domain (a host, or an NVL72 rack): the fastest of a flat ring (bounded by
 * the slowest hop), a double binary tree, and the hierarchical scheme -- reduce-scatter inside the domain,
 * all-reduce of 1/k of the data across the m domains on each GPU's share of the network (by ring only: a tree
 * across the domains, as NCCL may pick, made the large validation runs 25-41 % too fast when tried, since the
 * ring's latency here also stands in for per-node costs the model lacks; docs/model.md), all-gather inside. */
static double
gpu_all_reduce(const TsDeviceSpec *s, double bytes, double n, double k, int algorithm)
{
  double lat_in = s->link_latency_s > 0 ? s->link_latency_s : GPU_DEFAULT_NVLINK_LATENCY;
  double lat_net = s->network_latency_s > 0 ? s->network_latency_s : GPU_DEFAULT_NET_LATENCY;
  if (k < 1)
    k = 1;
  if (k > n)
    k = n;
  double m = ceil(n / k);
  double bw_in = nvlink_bw(s) > 0 ? nvlink_bw(s) : network_bw(s);
  double bw_net = network_bw(s) > 0 ? network_bw(s) : bw_in;
  double slow_bw = m > 1 ? fmin(bw_in, bw_net) : bw_in;
  double slow_lat = m > 1 ? lat_net : lat_in;
  double ring = ts_ring_all_reduce(bytes, n, slow_bw, slow_lat);
  double tree = ts_tree_all_reduce(bytes, n, slow_bw, slow_lat);
  double across = ts_ring_all_reduce(bytes / k, m, bw_net, lat_net);
  double hier = domain_all_reduce(s, bytes, k, bw_in, lat_in) + across;
  switch (algorithm) {
  case TS_ALGORITHM_RING: return ring;
  case TS_ALGORITHM_TREE: return tree;
  case TS_ALGORITHM_HIERARCHICAL: return hier;
  default: break;
  }
  double best = ring < tree ? ring : tree;
  /* One domain: the hierarchical scheme is the domain's own all-reduce (in-switch where stated). */
  return hier < best ? hier : best;
}

static int
gpu_collective_time(void *instance, const TsCollective *c, double *seconds, char *errbuf, size_t errlen)
{
  const TsDeviceSpec *s = ts_plugin_instance_spec(instance);
  double n = c->participants, k = c->per_node ? c->per_node : 1;
  if (n <= 1 || c->bytes <= 0) {
    *seconds = 0;
    return TS_PLUGIN_OK;
  }
  if (c->kind == TS_COLLECTIVE_ALL_TO_ALL) {
    /* Inside an NVSwitch node every GPU sends at its NVLink rate; across nodes the (n-k)/n of the data that
     * leaves the node goes at the GPU's network share. */
    double lat_net = s->network_latency_s > 0 ? s->network_latency_s : GPU_DEFAULT_NET_LATENCY;
    *seconds = ts_node_all_to_all(c->bytes, n, k, nvlink_bw(s), GPU_DEFAULT_NVLINK_LATENCY, network_bw(s), lat_net);
    return TS_PLUGIN_OK;
  }
  *seconds = ts_collective_scale(c->kind, gpu_all_reduce(s, c->bytes, n, k, c->algorithm));
  return TS_PLUGIN_OK;
}

/* A GPU computes a product in thread-block tiles of its output (m x n), looping over k in short steps: the
 * output's two dimensions are padded to the tile edge, and the tiles run in waves over the SMs (NVIDIA, "Matrix
 * Multiplication Background User's Guide", 2.1 "GPU Implementation", 3.1-3.2).  k is not padded to the tile.
 * The library also has tiles half as wide (cuBLASLt's cublasLtMatmulTile_t, NVIDIA cuBLAS documentation, lists
 * 64x64, 64x128, 128x64 and 256x64 beside 128x128), so an output dimension of 64 or less -- a first-stage
 * ResNet-50 convolution's 64 channels -- is padded to 64, not to 128 (TS_TILE_NARROW).
 * docs/model.md, "Operator-level model". */
static int
gpu_operation_time(void *instance, const TsOperation *op, double *seconds, char *errbuf, size_t errlen)
{
  return ts_roofline_operation_time_tiled(ts_plugin_instance_spec(instance), op,
                                          TS_TILE_M | TS_TILE_N | TS_TILE_NARROW, seconds, errbuf, errlen);
}

static const TsPluginDescriptor gpu_descriptor = {
  .abi_major = TS_PLUGIN_ABI_MAJOR,
  .abi_minor = TS_PLUGIN_ABI_MINOR,
  .size = sizeof(TsPluginDescriptor),
  .name = "gpu",
  .version = "1.0",
  .description = "NVIDIA GPUs: roofline compute, NVLink/NVSwitch and InfiniBand collectives",
  .catalog = "gpu.json",
  .instance_new = ts_plugin_instance_new,
  .instance_free = ts_plugin_instance_free,
  .compute_time = ts_plugin_instance_compute_time,
  .collective_time = gpu_collective_time,
  .input_rate = NULL,
  .operation_time = gpu_operation_time,
};

TS_PLUGIN_DEFINE(gpu_descriptor)
