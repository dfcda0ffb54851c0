/* AWS Trainium instances (trn1, trn1n, trn2): the SDK's roofline for compute, NeuronLink collectives over the
 * 2D torus of chips inside an instance, and EFA between instances.
 *
 * Written only against the installed plugin SDK: <trainsim/plugin-helpers.h> (which includes the ABI header)
 * and `pkg-config --cflags --libs trainsim-plugin`.  Nothing here comes from trainsim's core; meson builds it
 * like the other bundled plugins, and tests/test-trainium-plugin.sh builds this file again from a staged
 * install and runs it with the installed binary.  Catalog: trainium.json (every number with its AWS / Neuron
 * documentation source and date).  The model and its assumptions: docs/model.md, "Trainium".
 *
 * Uncalibrated: no published training runs on Trainium are in the fitted set, so its generations take the
 * constants pooled across vendors (calibration.json's "pooled", docs/model.md, "Calibration inheritance") and
 * every summary says so. */
#include <trainsim/plugin-helpers.h>

#include <math.h>

/* Achieved fraction of NeuronLink and EFA line rate in a collective.  AWS publishes no measured fraction for
 * either; 0.80 is the fraction NCCL measures on NVLink and InfiniBand (docs/model.md, "Link efficiencies"),
 * assumed here as the TPU plugin assumes it for ICI.  An assumption until measured Trainium collectives exist. */
#define TRN_LINK_EFFICIENCY 0.80
#define TRN_NET_EFFICIENCY 0.80
/* Seconds per hop when the catalog states none.  AWS publishes no NeuronLink or EFA hop latency: the values
 * are the TPU plugin's ICI default and the GPU plugin's scale-out network default. */
#define TRN_DEFAULT_LINK_LATENCY 1e-6
#define TRN_DEFAULT_NET_LATENCY 10e-6
/* Chips along one side of an instance's torus: "16 Trainium2 chips are connected using a 4x4, 2D Torus
 * topology" (trn2), "In a Trn1/Trn1n server, the Trainium chips are connected in a 2D Torus topology" (trn1,
 * 16 chips: 4x4).  Neuron documentation, trainium.json's sources neuron_trn2_arch and neuron_trn1_arch. */
#define TRN_TORUS_SIDE 4u

/* The torus a group of k chips of one instance forms: the whole instance is the 4x4 torus; a group of up to
 * four chips is one row of it (a ring when it is the full row, a line otherwise); a multiple of four up to 16 is
 * that many full rows, whose second dimension is a line unless it closes the torus.  Any other group is taken
 * as one ring. */
static void
instance_torus(uint32_t k, uint32_t dims[3], uint32_t *mesh_dims)
{
  dims[0] = k;
  dims[1] = dims[2] = 1;
  *mesh_dims = 0;
  if (k > 1 && k < TRN_TORUS_SIDE) {
    *mesh_dims = 1u;
  } else if (k > TRN_TORUS_SIDE && k % TRN_TORUS_SIDE == 0 && k <= TRN_TORUS_SIDE * TRN_TORUS_SIDE) {
    dims[0] = TRN_TORUS_SIDE;
    dims[1] = k / TRN_TORUS_SIDE;
    *mesh_dims = dims[1] < TRN_TORUS_SIDE ? 2u : 0u;
  }
}

static double
link_latency(const TsDeviceSpec *s)
{
  return s->link_latency_s > 0 ? s->link_latency_s : TRN_DEFAULT_LINK_LATENCY;
}

static double
net_latency(const TsDeviceSpec *s)
{
  return s->network_latency_s > 0 ? s->network_latency_s : TRN_DEFAULT_NET_LATENCY;
}

/* All-to-all (ts_node_all_to_all): inside the instance each chip's share goes over the torus, bounded by its
 * bisection (half of a chip's links at the achieved rate); the (n - k)/n of the data bound for other instances
 * leaves over the chip's share of the instance's EFA. */
static double
all_to_all(const TsDeviceSpec *s, double bytes, double n, double k, double link_bw, double net_bw)
{
  double links = s->links > 0 ? s->links : 4;
  return ts_node_all_to_all(bytes, n, k, links * link_bw / 2.0, link_latency(s), net_bw, net_latency(s));
}

/* All-reduce over n chips, k per instance (TsCollective.per_node): the torus all-reduce inside each instance
 * (ts_torus_all_reduce); across m = n / k instances the scheme is hierarchical, as NCCL's and the TPU
 * plugin's: the reduce-scatter inside the instance leaves 1/k of the data on each chip, the chips holding the
 * same share in every instance all-reduce it in a ring over EFA (each chip on its share of the instance's EFA,
 * all chips sending at once), and the all-gather inside the instance follows.  A requested ring is one flat
 * ring over all n chips at the slowest hop's rate. */
static int
trainium_collective_time(void *instance, const TsCollective *c, double *seconds, char *errbuf, size_t errlen)
{
  const TsDeviceSpec *s = ts_plugin_instance_spec(instance);
  double n = c->participants;
  if (n <= 1 || !(c->bytes > 0)) {
    *seconds = 0;
    return TS_PLUGIN_OK;
  }
  if (c->algorithm == TS_ALGORITHM_TREE) {
    ts_plugin_reason(errbuf, errlen, "a tree all-reduce is not modelled for Trainium (the Neuron collectives "
                     "library's algorithms are not published; ask for ring or auto)");
    return TS_PLUGIN_NOT_MODELLED;
  }
  uint32_t k = c->per_node >= 1 ? c->per_node : 1;
  if (k > n)
    k = (uint32_t) n;
  double m = ceil(n / k);
  double link_bw = s->link_bandwidth * TRN_LINK_EFFICIENCY;
  double net_bw = s->network_bandwidth * TRN_NET_EFFICIENCY;
  if (k > 1 && !(link_bw > 0)) {
    ts_plugin_reason(errbuf, errlen, "%s states no NeuronLink bandwidth, so %u chips cannot share one instance",
                     s->sku ? s->sku : "this device", k);
    return TS_PLUGIN_UNSUPPORTED;
  }
  if (m > 1 && !(net_bw > 0)) {
    ts_plugin_reason(errbuf, errlen, "%s has no EFA bandwidth in this machine, so a collective across %.0f "
                     "instances is not possible (EFA is not available on trn1.2xlarge)", s->sku ? s->sku : "?", m);
    return TS_PLUGIN_UNSUPPORTED;
  }
  if (c->kind == TS_COLLECTIVE_ALL_TO_ALL) {
    *seconds = all_to_all(s, c->bytes, n, k, link_bw, net_bw);
    return TS_PLUGIN_OK;
  }
  double t;
  if (c->algorithm == TS_ALGORITHM_RING) {
    double slow_bw = m > 1 ? fmin(2.0 * link_bw, net_bw) : 2.0 * link_bw;
    t = ts_ring_all_reduce(c->bytes, n, slow_bw, m > 1 ? net_latency(s) : link_latency(s));
  } else {
    uint32_t dims[3], mesh;
    instance_torus(k, dims, &mesh);
    t = ts_torus_all_reduce(c->bytes, dims, mesh, link_bw, link_latency(s));
    if (m > 1)
      t += ts_ring_all_reduce(c->bytes / k, m, net_bw, net_latency(s));
  }
  *seconds = ts_collective_scale(c->kind, t);
  return TS_PLUGIN_OK;
}

static const TsPluginDescriptor trainium_descriptor = {
  .abi_major = TS_PLUGIN_ABI_MAJOR,
  .abi_minor = TS_PLUGIN_ABI_MINOR,
  .size = sizeof(TsPluginDescriptor),
  .name = "trainium",
  .version = "1.0",
  .description = "AWS Trainium instances (trn1, trn1n, trn2): roofline compute, NeuronLink torus and EFA "
                 "collectives (uncalibrated)",
  .catalog = "trainium.json",
  .instance_new = ts_plugin_instance_new,
  .instance_free = ts_plugin_instance_free,
  .compute_time = ts_plugin_instance_compute_time,
  .collective_time = trainium_collective_time,
  .input_rate = NULL,
  .operation_time = ts_plugin_instance_operation_time,
};

TS_PLUGIN_DEFINE(trainium_descriptor)
