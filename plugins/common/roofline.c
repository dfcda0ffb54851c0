#include "roofline.h"

#include <math.h>

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
ts_roofline_time(const TsDeviceSpec *spec, const TsWork *work, double *seconds)
{
  if (work->precision < 0 || work->precision >= TS_PRECISION_COUNT)
    return TS_PLUGIN_UNSUPPORTED;
  double peak = spec->peak_dense[work->precision];
  if (!(peak > 0))
    return TS_PLUGIN_UNSUPPORTED;
  double eff = ts_roofline_efficiency(spec, work->workload, work->batch_per_device);
  double t_math = work->flops > 0 ? work->flops / (peak * eff) : 0.0;
  double t_mem = (work->bytes > 0 && spec->memory_bandwidth > 0) ? work->bytes / spec->memory_bandwidth : 0.0;
  *seconds = t_math > t_mem ? t_math : t_mem;
  return TS_PLUGIN_OK;
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
