/* trainsim/plugin-helpers.h — the plugin SDK's helpers, shared by the bundled plugins and any plugin built
 * against the installed SDK (`pkg-config --cflags --libs trainsim-plugin` links libtrainsim-plugin-helpers.a):
 * the roofline with an achieved-efficiency curve, ring / tree / all-to-all collective costs, the reason writer,
 * and one instance_new / instance_free pair with roofline compute_time / operation_time callbacks that a
 * descriptor can point at directly.  Pure functions of their arguments (no state), so every plugin instance can
 * call them from any thread.  Equations and sources: docs/model.md; a walk-through: docs/plugins.md.
 *
 * Not part of the ABI: these are compiled into each plugin (static library, hidden visibility), so the host
 * never sees a plugin's copy and they may change between trainsim versions without an ABI bump.  The host links
 * the same library for its own fallback roofline (core/plugin/device.c; docs/architecture.md, "Layers"), so the
 * header includes only trainsim/plugin.h and the C library. */
#ifndef TRAINSIM_PLUGIN_HELPERS_H
#define TRAINSIM_PLUGIN_HELPERS_H

#include "trainsim/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Linked into each plugin, never exported from it: a plugin exports only ts_plugin_entry. */
#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

/* Achieved fraction of peak at a per-device batch: eff_max · b / (b + b_half).  Small batches use a chip
 * badly; large ones approach the family's fitted eff_max. */
double ts_roofline_efficiency(const TsDeviceSpec *spec, int workload, double batch_per_device);

/* max(flops / (peak · efficiency), bytes / memory bandwidth); TS_PLUGIN_UNSUPPORTED when the SKU has no
 * peak at that precision, with the reason in errbuf. */
int ts_roofline_time(const TsDeviceSpec *spec, const TsWork *work, double *seconds, char *errbuf, size_t errlen);

/* Tile quantisation: the fraction of a product's padded work that is useful when each dimension (m, n, k; a
 * dimension <= 0 is not stated and counts 1) is padded to a multiple of the matrix unit's tile edge `tile`
 * (0: no quantisation).  NVIDIA, "Matrix Multiplication Background User's Guide" (DU-09799-001), 3.1 "Tile
 * Quantization"; a TPU's MXU is a tile-sized systolic array.  docs/model.md, "Operator-level model". */
double ts_roofline_tile_utilisation(double tile, double m, double n, double k);

/* Which dimensions of a product a matrix unit pads to its tile edge (ts_roofline_operation_time_tiled), and
 * TS_TILE_NARROW: the library also has tiles half as wide, so a padded dimension of at most half the edge is
 * padded to half the edge instead (a GPU library's 64-wide tiles beside its 128-wide ones; a TPU's MXU is one
 * fixed array and has none). */
enum { TS_TILE_M = 1, TS_TILE_N = 2, TS_TILE_K = 4, TS_TILE_MNK = 7, TS_TILE_NARROW = 8 };

/* Wave quantisation: the fraction of the units busy over a product's waves when its ceil(m/tile) x ceil(n/tile)
 * output tiles run one per unit at a time on `units` units (an NVIDIA GPU's SMs): tiles / (ceil(tiles / units)
 * x units); 1 when units, tile, m or n is not stated.  NVIDIA, "Matrix Multiplication Background User's Guide"
 * (DU-09799-001), 3.2 "Wave Quantization".  docs/model.md, "Operator-level model". */
double ts_roofline_wave_utilisation(double tile, double units, double m, double n);

/* Split-K: a product whose output has fewer tiles than there are units (a weight gradient's k x n result,
 * looping over all the micro-batch's rows) has its k loop cut into slices that run on the idle units and are
 * summed after (CUTLASS's split-K; Osama et al. 2023, "Stream-K: Work-centric Parallel Decomposition for Dense
 * Matrix-Matrix Multiplication on the GPU", PPoPP '23): floor(units / tiles) slices, each at least one tile edge
 * of k deep; 1 when the tiles fill the units or a figure is not stated. */
double ts_roofline_split_k(double tile, double units, double m, double n, double k);

/* The k loop of one output tile against the time the tile spends outside it (filling the pipeline with its first
 * operand tiles, writing its result: `fixed_s` seconds, the generation's matmul_tile_fixed_s): loop / (loop +
 * fixed_s), with loop = 2 x tile^2 x k FLOPs at the unit's share (rate / units) of the product's achieved rate.
 * An 8-bit product's rate is twice a 16-bit one's, so its loop is half as long and the fixed time weighs twice
 * as much: a short k (BERT's 1,024) gains less than twice the rate, a long one (GPT-3's 12,288) nearly twice.
 * 1 when any argument is not positive.  docs/model.md, "Operator-level model". */
double ts_roofline_tile_loop_utilisation(double tile, double units, double k, double rate, double fixed_s);

/* The bytes one m x n product over k reads again from device memory when it is computed in output blocks of `edge` x
 * `edge` elements (ABI 2.5's matmul_reuse_edge), beyond its first reads of each operand: each block reads its rows
 * of the left (m x k) operand and its columns of the right (k x n) one, so the left operand is read once per block
 * column of the output and the right one once per block row (the blocked product's traffic; Hong and Kung 1981,
 * "I/O complexity: the red-blue pebble game"): in_bytes x (m x k x (max(1, n / edge) - 1) + k x n x (max(1, m /
 * edge) - 1)).  The first reads stay the operation's own bytes (a convolution's input counted once, not as its
 * im2col expansion).  Continuous in `edge`, so a fit's finite differences see a slope.  0 when `edge` or a
 * dimension is not positive.  docs/model.md, "Operand re-reads". */
double ts_roofline_blocked_bytes(double edge, double m, double n, double k, double in_bytes);

/* The device side of one operation (TsOperation, docs/model.md "Operator-level model"):
 *   product ("matmul", "attention"):  max(flops / (peak[precision] x matmul_efficiency x u),
 *                                         bytes / (memory_bandwidth x memory_efficiency))
 *                                     where, for "matmul" with the spec's matmul_reuse_edge stated (ABI 2.5),
 *                                     bytes is the operation's plus its operands' re-reads
 *                                     (ts_roofline_blocked_bytes at the precision's operand size: 4 bytes for
 *                                     fp32 and tf32, 1 for fp8 and int8, else 2)
 *   memory-bound kind ("norm", "elementwise", "softmax", "pool", "embedding", "optimizer"):
 *                                     max(bytes / (memory_bandwidth x memory_efficiency), flops / peak)
 * u: tile quantisation of the dimensions in `dims` (TS_TILE_M | TS_TILE_N | TS_TILE_K; the others count 1) at
 * the spec's matmul_tile (half of it for a dimension of at most half the tile with TS_TILE_NARROW), times, for "matmul", wave quantisation on the spec's matmul_units after split-K
 * (ts_roofline_split_k) and the k loop's share of each tile's time (ts_roofline_tile_loop_utilisation, at the
 * spec's matmul_tile_fixed_s, ABI 2.3; the rate is peak[precision] x matmul_efficiency).
 * The efficiencies are the generation's (TsDeviceSpec, from calibration.json); 0 (no calibration file at all)
 * stands for 0.5 and 1.0 (docs/model.md).  An unknown kind or a precision this catalog schema has no peak
 * field for is TS_PLUGIN_NOT_MODELLED; a precision the SKU lacks is TS_PLUGIN_UNSUPPORTED.  Reasons go to
 * errbuf. */
int ts_roofline_operation_time_tiled(const TsDeviceSpec *spec, const TsOperation *op, unsigned dims, double *seconds,
                                     char *errbuf, size_t errlen);
/* The same with all three dimensions padded (TS_TILE_MNK): a plugin that knows no better. */
int ts_roofline_operation_time(const TsDeviceSpec *spec, const TsOperation *op, double *seconds, char *errbuf,
                               size_t errlen);

/* Write a reason into a plugin call's error buffer (NULL-safe, always NUL-terminated). */
void ts_plugin_reason(char *errbuf, size_t errlen, const char *fmt, ...)
#if defined(__GNUC__)
  __attribute__((format(printf, 3, 4)))
#endif
  ;

/* Ring all-reduce of `bytes` over n participants on links of `bw` bytes/s and `lat` seconds per hop:
 * 2(n-1)/n · bytes / bw + 2(n-1) · lat. */
double ts_ring_all_reduce(double bytes, double n, double bw, double lat);
/* Double binary tree (NCCL): 2 · bytes / bw (pipelined) + 2 · log2(n) · lat. */
double ts_tree_all_reduce(double bytes, double n, double bw, double lat);
/* Reduce-scatter or all-gather alone: half of a ring all-reduce. */
double ts_ring_half(double bytes, double n, double bw, double lat);
/* All-to-all: each participant sends (n-1)/n of its bytes; `bw` is its injection bandwidth. */
double ts_all_to_all(double bytes, double n, double bw, double lat);

/* All-to-all over n devices, k per node (a node: the devices that share one fast fabric), each sending `bytes`:
 * inside its node a device exchanges its k/n share with the k - 1 others at `in_bw` (ts_all_to_all), and the
 * (n - k)/n of its bytes bound for other nodes leave at its share of the node's network, `net_bw`, with one hop
 * of `net_lat` per other node.  k is clamped to [1, n]. */
double ts_node_all_to_all(double bytes, double n, double k, double in_bw, double in_lat, double net_bw, double net_lat);

/* All-reduce of `bytes` per chip over a torus of dims[0] x dims[1] x dims[2] chips (dimensions of 1 or 0 are
 * absent) as bidirectional rings along each dimension, all dimensions busy at once: the payload splits into D
 * parts (D = dimensions longer than 1), part r reduce-scatters along dimensions r, r+1, ... (mod D) in turn,
 * and the all-gather retraces the steps.  The time is the busiest dimension's link load plus one part's hop
 * latencies.  `link_bw` is one link's achieved rate per direction (line rate x the plugin's efficiency); a
 * ring along a torus dimension uses both directions (2 x link_bw), a dimension whose bit is set in `mesh_dims`
 * has no wraparound link and moves data at 1 x link_bw.  `lat` is seconds per hop.  docs/model.md, "TPU". */
double ts_torus_all_reduce(double bytes, const uint32_t dims[3], uint32_t mesh_dims, double link_bw, double lat);

/* Whole-collective time for `kind` given the all-reduce time of a ring (the kinds' byte ratios). */
double ts_collective_scale(int kind, double all_reduce_seconds);

/* The per-instance context of a plugin whose model needs only its SKU's spec: the host API (valid for the
 * instance's lifetime, for log) and a copy of the spec (its strings belong to the host and outlive the
 * instance).  One per simulation and SKU; nothing in it changes after ts_plugin_instance_new. */
typedef struct TsPluginInstance {
  const TsHostApi *host;
  TsDeviceSpec spec;
} TsPluginInstance;

/* instance_new and instance_free for a descriptor: a TsPluginInstance holding a copy of `spec` (a host built
 * for an older ABI minor passes a shorter struct: what it did not fill stays 0, "not stated").
 * TS_PLUGIN_FAILED with the reason in errbuf when spec is missing or too old, or memory runs out. */
int ts_plugin_instance_new(const TsHostApi *host, const TsDeviceSpec *spec, void **instance, char *errbuf,
                           size_t errlen);
void ts_plugin_instance_free(void *instance);

/* The spec an instance made by ts_plugin_instance_new holds. */
const TsDeviceSpec *ts_plugin_instance_spec(const void *instance);

/* compute_time and operation_time for a descriptor whose instances come from ts_plugin_instance_new: the
 * shared roofline (ts_roofline_time, ts_roofline_operation_time) on the instance's spec. */
int ts_plugin_instance_compute_time(void *instance, const TsWork *work, double *seconds, char *errbuf,
                                    size_t errlen);
int ts_plugin_instance_operation_time(void *instance, const TsOperation *op, double *seconds, char *errbuf,
                                      size_t errlen);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif

#endif /* TRAINSIM_PLUGIN_HELPERS_H */
