#include "trainsim/plugin-helpers.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
ts_plugin_reason(char *errbuf, size_t errlen, const char *fmt, ...)
{
  if (errbuf == NULL || errlen == 0)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(errbuf, errlen, fmt, ap);
  va_end(ap);
}

static const char *const PRECISION_NAMES[TS_PRECISION_COUNT] = {"fp32", "tf32", "fp16", "bf16", "fp8", "int8"};

double
ts_roofline_efficiency(const TsDeviceSpec *spec, int workload, double batch_per_device)
{
  if (workload < 0 || workload >= TS_WORKLOAD_COUNT)
    workload = TS_WORKLOAD_TRANSFORMER;
  double eff = spec->efficiency[workload];
  double half = spec->half_batch[workload];
  if (!(eff > 0))
    eff = 0.5; /* uncalibrated generation: docs/model.md explains this default */
  if (half > 0 && batch_per_device > 0)
    eff *= batch_per_device / (batch_per_device + half);
  return eff;
}

int
ts_roofline_time(const TsDeviceSpec *spec, const TsWork *work, double *seconds, char *errbuf, size_t errlen)
{
  if (work->precision < 0 || work->precision >= TS_PRECISION_COUNT) {
    ts_plugin_reason(errbuf, errlen, "precision %d is not one this plugin knows", (int) work->precision);
    return TS_PLUGIN_UNSUPPORTED;
  }
  double peak = spec->peak_dense[work->precision];
  if (!(peak > 0)) {
    ts_plugin_reason(errbuf, errlen, "%s (%s) has no %s arithmetic: its catalog states no dense %s peak",
                     spec->sku ? spec->sku : "this device", spec->generation ? spec->generation : "?",
                     PRECISION_NAMES[work->precision], PRECISION_NAMES[work->precision]);
    return TS_PLUGIN_UNSUPPORTED;
  }
  double eff = ts_roofline_efficiency(spec, work->workload, work->batch_per_device);
  double t_math = work->flops > 0 ? work->flops / (peak * eff) : 0.0;
  double t_mem = (work->bytes > 0 && spec->memory_bandwidth > 0) ? work->bytes / spec->memory_bandwidth : 0.0;
  *seconds = t_math > t_mem ? t_math : t_mem;
  return TS_PLUGIN_OK;
}

double
ts_roofline_tile_utilisation(double tile, double m, double n, double k)
{
  if (!(tile > 0))
    return 1.0;
  const double dims[3] = {m, n, k};
  double u = 1.0;
  for (int i = 0; i < 3; i++)
    if (dims[i] > 0)
      u *= dims[i] / (ceil(dims[i] / tile) * tile);
  return u;
}

double
ts_roofline_wave_utilisation(double tile, double units, double m, double n)
{
  if (!(tile > 0) || !(units >= 1) || !(m > 0) || !(n > 0))
    return 1.0;
  double tiles = ceil(m / tile) * ceil(n / tile);
  return tiles / (ceil(tiles / units) * units);
}

double
ts_roofline_split_k(double tile, double units, double m, double n, double k)
{
  if (!(tile > 0) || !(units >= 1) || !(m > 0) || !(n > 0) || !(k > 0))
    return 1.0;
  double tiles = ceil(m / tile) * ceil(n / tile);
  if (tiles >= units)
    return 1.0;
  return fmax(1.0, fmin(floor(units / tiles), floor(k / tile)));
}

double
ts_roofline_tile_loop_utilisation(double tile, double units, double k, double rate, double fixed_s)
{
  if (!(tile > 0) || !(units >= 1) || !(k > 0) || !(rate > 0) || !(fixed_s > 0))
    return 1.0;
  double loop = 2.0 * tile * tile * k / (rate / units);
  return loop / (loop + fixed_s);
}

double
ts_roofline_blocked_bytes(double edge, double m, double n, double k, double in_bytes)
{
  if (!(edge > 0) || !(m > 0) || !(n > 0) || !(k > 0))
    return 0.0;
  return in_bytes * (m * k * (fmax(1.0, n / edge) - 1) + k * n * (fmax(1.0, m / edge) - 1));
}

/* The documented stand-ins when no calibration file gave this generation constants at all (the summary then
 * says "uncalibrated: no constants in any calibration.json"): half the peak, the whole bandwidth. */
#define UNCALIBRATED_MATMUL_EFFICIENCY 0.5
#define UNCALIBRATED_MEMORY_EFFICIENCY 1.0

int
ts_roofline_operation_time(const TsDeviceSpec *spec, const TsOperation *op, double *seconds, char *errbuf,
                           size_t errlen)
{
  return ts_roofline_operation_time_tiled(spec, op, TS_TILE_MNK, seconds, errbuf, errlen);
}

/* The edge a stated dimension is padded to: the tile's, or half of it for a dimension no wider than that when the
 * library has tiles half as wide (TS_TILE_NARROW): it runs on those instead of filling half of a full one. */
static double
padded_edge(double tile, double dim, unsigned dims)
{
  return (dims & TS_TILE_NARROW) && dim > 0 && dim <= tile / 2 ? tile / 2 : tile;
}

int
ts_roofline_operation_time_tiled(const TsDeviceSpec *spec, const TsOperation *op, unsigned dims, double *seconds,
                                 char *errbuf, size_t errlen)
{
  int prec = -1;
  for (int p = 0; op->precision != NULL && p < TS_PRECISION_COUNT; p++)
    if (strcmp(op->precision, PRECISION_NAMES[p]) == 0)
      prec = p;
  if (prec < 0) {
    ts_plugin_reason(errbuf, errlen, "no peak field for precision \"%s\" in this catalog schema",
                     op->precision ? op->precision : "(none)");
    return TS_PLUGIN_NOT_MODELLED;
  }
  double peak = spec->peak_dense[prec];
  /* An operation with arithmetic needs the precision's peak; one that only moves bytes (the optimizer update is
   * sent with no FLOPs) does not, so a device whose datasheet states no peak for that precision (Gaudi 2 and
   * fp32: Intel publishes only its BF16 and FP8 matrix rates) still runs it at its memory bandwidth. */
  if (!(peak > 0) && op->flops > 0) {
    ts_plugin_reason(errbuf, errlen, "%s (%s) has no %s arithmetic: its catalog states no dense %s peak",
                     spec->sku ? spec->sku : "this device", spec->generation ? spec->generation : "?",
                     op->precision, op->precision);
    return TS_PLUGIN_UNSUPPORTED;
  }
  /* An older host (ABI 2.0) fills no efficiencies: its spec ends before them. */
  double matmul_eff = TS_STRUCT_HAS(spec, TsDeviceSpec, matmul_efficiency) ? spec->matmul_efficiency : 0;
  double memory_eff = TS_STRUCT_HAS(spec, TsDeviceSpec, memory_efficiency) ? spec->memory_efficiency : 0;
  double tile = TS_STRUCT_HAS(spec, TsDeviceSpec, matmul_tile) ? spec->matmul_tile : 0;
  double units = TS_STRUCT_HAS(spec, TsDeviceSpec, matmul_units) ? spec->matmul_units : 0;
  double fixed_s = TS_STRUCT_HAS(spec, TsDeviceSpec, matmul_tile_fixed_s) ? spec->matmul_tile_fixed_s : 0;
  if (!(matmul_eff > 0))
    matmul_eff = UNCALIBRATED_MATMUL_EFFICIENCY;
  if (!(memory_eff > 0))
    memory_eff = UNCALIBRATED_MEMORY_EFFICIENCY;
  double bw = spec->memory_bandwidth * memory_eff;
  double t_mem = op->bytes > 0 && bw > 0 ? op->bytes / bw : 0.0;
  const char *kind = op->kind ? op->kind : "";
  double edge = TS_STRUCT_HAS(spec, TsDeviceSpec, matmul_reuse_edge) ? spec->matmul_reuse_edge : 0;
  if (edge > 0 && bw > 0 && op->flops > 0 && strcmp(kind, "matmul") == 0 && op->m > 0 && op->n > 0 && op->k > 0) {
    /* A blocked product reads its operands again (ts_roofline_blocked_bytes) in each of the flops / (2 m n k)
     * products of this shape the operation holds (the host sends each pass with its own shape: docs/model.md,
     * "Operator-level model"), on top of the first reads and the writes its own bytes count. */
    double in_bytes = prec <= TS_PRECISION_TF32 ? 4 : prec >= TS_PRECISION_FP8 ? 1 : 2;
    double passes = op->flops / (2 * op->m * op->n * op->k);
    t_mem += ts_roofline_blocked_bytes(edge, op->m, op->n, op->k, in_bytes) * passes / bw;
  }
  /* FlashAttention-2's kernels at the rate the catalog measured for them (16-bit, forward and backward together),
   * already an achieved rate: no matmul efficiency on top.  Unstated, they run as any fused attention core. */
  double flash2 = TS_STRUCT_HAS(spec, TsDeviceSpec, attention_flash2) ? spec->attention_flash2 : 0;
  if (strcmp(kind, "attention_flash2") == 0) {
    if (flash2 > 0) {
      double t_math = op->flops > 0 ? op->flops / flash2 : 0.0;
      *seconds = t_math > t_mem ? t_math : t_mem;
      return TS_PLUGIN_OK;
    }
    kind = "attention";
  }
  if (strcmp(kind, "matmul") == 0 || strcmp(kind, "attention") == 0) {
    /* Each padded dimension on its own edge; the waves, split-K and the k loop below count the full tile. */
    double util = ts_roofline_tile_utilisation(padded_edge(tile, op->m, dims), dims & TS_TILE_M ? op->m : 0, 0, 0) *
                  ts_roofline_tile_utilisation(padded_edge(tile, op->n, dims), 0, dims & TS_TILE_N ? op->n : 0, 0) *
                  ts_roofline_tile_utilisation(padded_edge(tile, op->k, dims), 0, 0, dims & TS_TILE_K ? op->k : 0);
    /* Waves of output tiles over the units: a product's grid; a fused attention kernel's grid also spans the
     * batch and the heads, which its shape does not state, so it is left whole. */
    if (strcmp(kind, "matmul") == 0) {
      /* Split-K where the output's tiles leave units idle; then each tile's k loop against its fixed time (a fused
       * attention kernel loops over the keys, whose tiles its shape does not state: left out, as for the waves). */
      double split = ts_roofline_split_k(tile, units, op->m, op->n, op->k);
      util *= ts_roofline_wave_utilisation(tile, units / split, op->m, op->n);
      util *= ts_roofline_tile_loop_utilisation(tile, units, op->k / split, peak * matmul_eff, fixed_s);
    }
    double t_math = op->flops > 0 ? op->flops / (peak * matmul_eff * util) : 0.0;
    *seconds = t_math > t_mem ? t_math : t_mem;
    return TS_PLUGIN_OK;
  }
  static const char *const memory_bound[] = {"norm", "elementwise", "softmax", "pool", "embedding", "optimizer"};
  for (size_t i = 0; i < sizeof memory_bound / sizeof memory_bound[0]; i++) {
    if (strcmp(kind, memory_bound[i]) == 0) {
      double t_math = op->flops > 0 ? op->flops / peak : 0.0; /* peak > 0 whenever flops > 0 (above) */
      *seconds = t_math > t_mem ? t_math : t_mem;
      return TS_PLUGIN_OK;
    }
  }
  ts_plugin_reason(errbuf, errlen, "operation kind \"%s\" is not modelled by the shared roofline", kind);
  return TS_PLUGIN_NOT_MODELLED;
}

double
ts_ring_all_reduce(double bytes, double n, double bw, double lat)
{
  if (n <= 1 || bytes <= 0)
    return 0.0;
  return 2.0 * (n - 1.0) / n * bytes / bw + 2.0 * (n - 1.0) * lat;
}

double
ts_tree_all_reduce(double bytes, double n, double bw, double lat)
{
  if (n <= 1 || bytes <= 0)
    return 0.0;
  return 2.0 * bytes / bw + 2.0 * ceil(log2(n)) * lat;
}

double
ts_ring_half(double bytes, double n, double bw, double lat)
{
  return 0.5 * ts_ring_all_reduce(bytes, n, bw, lat);
}

double
ts_all_to_all(double bytes, double n, double bw, double lat)
{
  if (n <= 1 || bytes <= 0)
    return 0.0;
  return (n - 1.0) / n * bytes / bw + (n - 1.0) * lat;
}

double
ts_node_all_to_all(double bytes, double n, double k, double in_bw, double in_lat, double net_bw, double net_lat)
{
  if (n <= 1 || bytes <= 0)
    return 0.0;
  if (k < 1)
    k = 1;
  if (k > n)
    k = n;
  double in = ts_all_to_all(bytes * (k / n), k, in_bw, in_lat);
  double out = n > k ? (n - k) / n * bytes / net_bw + (n / k - 1) * net_lat : 0.0;
  return in + out;
}

/* This is the model's reading of the "2-D torus all-reduce" Google runs on TPU pods (Ying et al. 2018, arXiv
 * 1811.06992), generalised to 3-D; the split into parts that visit the dimensions in turn is an assumption,
 * checked in tests/test-devices.c against Google's all-reduce bandwidth per pod, which only an all-links-busy
 * scheme can approach: the bus bandwidth tends to links x link rate x efficiency, where one dimension at a time
 * reaches 2 x link rate. */
double
ts_torus_all_reduce(double bytes, const uint32_t dims[3], uint32_t mesh_dims, double link_bw, double lat)
{
  double n[3], bw[3];
  int used = 0;
  for (int d = 0; d < 3; d++)
    if (dims[d] > 1) {
      n[used] = dims[d];
      /* A dimension without wraparound is a line: its end chips have one link in it, so a ring embedded in
       * the line moves data at one link rate, not two (v4/v5p slices smaller than a 4x4x4 cube). */
      bw[used] = ((mesh_dims >> d) & 1u ? 1.0 : 2.0) * link_bw;
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

double
ts_collective_scale(int kind, double all_reduce_seconds)
{
  switch (kind) {
  case TS_COLLECTIVE_ALL_GATHER:
  case TS_COLLECTIVE_REDUCE_SCATTER:
    return 0.5 * all_reduce_seconds;
  default:
    return all_reduce_seconds;
  }
}

int
ts_plugin_instance_new(const TsHostApi *host, const TsDeviceSpec *spec, void **instance, char *errbuf,
                       size_t errlen)
{
  /* Everything up to tdp_watts is ABI 2.0's layout: a spec without it comes from a host this SDK predates. */
  if (spec == NULL || !TS_STRUCT_HAS(spec, TsDeviceSpec, tdp_watts)) {
    ts_plugin_reason(errbuf, errlen, "device spec is older than this plugin understands");
    return TS_PLUGIN_FAILED;
  }
  TsPluginInstance *p = calloc(1, sizeof *p);
  if (p == NULL) {
    ts_plugin_reason(errbuf, errlen, "out of memory");
    return TS_PLUGIN_FAILED;
  }
  memcpy(&p->spec, spec, spec->size < sizeof p->spec ? spec->size : sizeof p->spec);
  p->spec.size = sizeof p->spec;
  p->host = host;
  *instance = p;
  return TS_PLUGIN_OK;
}

void
ts_plugin_instance_free(void *instance)
{
  free(instance);
}

const TsDeviceSpec *
ts_plugin_instance_spec(const void *instance)
{
  return &((const TsPluginInstance *) instance)->spec;
}

int
ts_plugin_instance_compute_time(void *instance, const TsWork *work, double *seconds, char *errbuf, size_t errlen)
{
  return ts_roofline_time(ts_plugin_instance_spec(instance), work, seconds, errbuf, errlen);
}

int
ts_plugin_instance_operation_time(void *instance, const TsOperation *op, double *seconds, char *errbuf,
                                  size_t errlen)
{
  return ts_roofline_operation_time(ts_plugin_instance_spec(instance), op, seconds, errbuf, errlen);
}
