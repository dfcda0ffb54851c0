/* The machines a run rents or owns: the cluster and the other machine groups a scenario provisions, their
 * provisioning and release, and what each is billed (a plain rate description for cost/billing.c). */
#include "run/run-private.h"

#include "common/ts-error.h"
#include "units/units.h"

#include <math.h>
#include <string.h>

static TsBillable *
find_billable(TsRun *run, int id)
{
  /* By id through an index: a scenario may provision hundreds of thousands of machines, and a walk over all
   * of them on each provision was quadratic. */
  gpointer at = g_hash_table_lookup(run->billable_index, GINT_TO_POINTER(id));
  return at != NULL ? &g_array_index(run->billables, TsBillable, GPOINTER_TO_UINT(at) - 1) : NULL;
}

/* The plain rate description billing works from (cost/billing.h knows nothing of accelerators). */
static void
machine_group_rate(const TsMachineGroup *a, TsRate *r)
{
  memset(r, 0, sizeof *r);
  r->id = a->id;
  const TsCatalog *catalog = ts_plugin_get_catalog(a->plugin);
  r->category = catalog != NULL && catalog->host_role ? TS_COST_HOST : TS_COST_COMPUTE;
  r->name = a->slice ? a->slice : a->instance ? a->instance->name : a->record->sku;
  r->unit_name = a->instance ? a->instance->name : a->record->sku;
  r->nodes = a->nodes;
  r->chips = a->devices;
  r->devices = a->slice != NULL ? a->nodes : a->devices; /* a Cloud TPU "device" is one host's board */
  r->cores = a->devices * (a->record->spec.cores > 0 ? a->record->spec.cores : 1);
  r->slices = a->slices;
  r->owned = a->owned;
  const TsInstanceRecord *inst = a->instance;
  r->purchase_price = a->owned_price > 0 ? a->owned_price : inst ? inst->purchase_price : a->record->purchase_price;
  r->service_life_s = a->owned_life_s > 0 ? a->owned_life_s : inst && inst->service_life_s > 0 ? inst->service_life_s : 0;
  r->utilisation = a->utilisation;
  r->financing_rate = a->financing;
  r->watts = run_energy_get_owned_watts(a); /* the draw energy.c counts, so electricity = energy.kwh x price */
  r->electricity = a->electricity;
  r->fitting_unit = ts_machine_group_get_price_unit(a);
  r->price = a->price;
  r->price_per = a->price_per;
  r->price_known = a->price_known;
  r->pricing = ts_pricing_get_name(a->pricing);
  r->pricing_given = a->pricing_given;
  r->price_from_catalog = a->price_field != NULL;
  r->region = a->price_field ? a->price_field->region : NULL;
}

static gboolean
add_billable(TsRun *run, const TsMachineGroup *a, GError **error)
{
  if (find_billable(run, a->id) != NULL)
    return TRUE;
  TsBillable b = {0};
  TsRate rate;
  machine_group_rate(a, &rate);
  if (!ts_billable_init(&b, &rate, error))
    return FALSE;
  g_array_append_val(run->billables, b);
  run_energy_add_group(run, a, run->cluster != NULL && a == &run->cluster->accel);
  g_hash_table_insert(run->billable_index, GINT_TO_POINTER(a->id), GUINT_TO_POINTER(run->billables->len));
  ts_run_note_catalog(run, ts_plugin_get_catalog(a->plugin));
  if (a->record->origin != NULL)
    ts_run_note_catalog(run, a->record->origin); /* a --catalog file's device: that file's name and sha256 too */
  if (isnan(b.rate))
    ts_run_add_diagnostic(run, TS_SEVERITY_WARNING, "price-unknown",
                          "%s: cost is unknown (null), time and memory are still forecast", b.desc + strlen("unknown: "));
  else if (!a->owned && (a->pricing == TS_PRICING_COMMITTED_1Y || a->pricing == TS_PRICING_COMMITTED_3Y))
    /* The hours the run uses are billed at the commitment's hourly rate; the commitment itself is a contract
     * for every hour of its term, used or not: the summary's commitment gives that whole cost. */
    ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "commitment-term",
                          "%s is billed at its %s rate for the hours this run holds it; the commitment obliges "
                          "payment for all %s hours of its term, used or not, which this cost does not include "
                          "(the summary's commitment row gives the whole term's cost)",
                          b.unit_name, ts_pricing_get_name(a->pricing),
                          a->pricing == TS_PRICING_COMMITTED_1Y ? "8,760" : "26,280");
  return TRUE;
}

gboolean
ts_run_set_cluster(TsRun *run, TsCluster *cluster, GError **error)
{
  g_return_val_if_fail(run->cluster == NULL, FALSE);
  run->cluster = cluster;
  TsMachineGroup *a = &cluster->accel;
  /* A GPU's share of its node's scale-out network is a property of the machine it sits in, not of the
   * chip: take it from the scenario or the instance record (docs/model.md, "GPU"). */
  run->device_record = *a->record;
  double node_net = a->network > 0 ? a->network : (a->instance ? a->instance->network_bandwidth : 0);
  if (node_net > 0 && a->per_node > 0)
    run->device_record.spec.network_bandwidth = node_net / a->per_node;
  if (a->nodes > 1 && !(run->device_record.spec.network_bandwidth > 0) && a->slice == NULL) { /* a slice's hosts are joined by its own interconnect */
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%u nodes of %s need a network between them: give network = "
                "\"200 Gbit/s\" (per node) or rent an instance whose catalog record states it", a->nodes,
                a->record->sku);
    return FALSE;
  }
  run->device = ts_device_new(a->plugin, &run->device_record, error);
  if (run->device == NULL)
    return FALSE;
  if (a->host_cpu != NULL) {
    const TsPlugin *cpu = NULL;
    if (ts_registry_find_host_cpu(run->registry, a->host_cpu->sku, &cpu, NULL) != NULL) {
      ts_run_note_catalog(run, ts_plugin_get_catalog(cpu));
      run->host_cpu = ts_device_new(cpu, a->host_cpu, error);
      if (run->host_cpu == NULL)
        return FALSE;
    }
  }
  TsResults *r = &run->results;
  r->nodes = a->nodes;
  r->devices = a->devices;
  r->device_desc = a->slice && a->slices > 1
                     ? g_strdup_printf("%s (%u x %s over the data-centre network, %u chips)", a->record->name,
                                       a->slices, a->slice, a->devices)
                   : a->slice ? g_strdup_printf("%s (%s, %u chips)", a->record->name, a->slice, a->devices)
                            : a->instance ? g_strdup_printf("%s (%s)", a->record->name, a->instance->name)
                            : a->defined ? g_strdup_printf("%s (defined in the scenario)", a->record->name)
                                          : g_strdup(a->record->name);
  r->device_capacity = a->record->spec.memory_bytes;
  r->host_capacity = a->host_ram;
  double cap = cluster->storage ? cluster->storage->capacity : a->host_disk;
  r->storage_capacity = isfinite(cap) && cap > 0 ? cap : 0;
  r->storage_per_host = cluster->storage == NULL && a->nodes > 1; /* each host keeps its share on its disks */
  r->storage_cost_modelled = cluster->storage != NULL && cluster->storage->price_gb_month >= 0;
  if (!add_billable(run, a, error))
    return FALSE;
  r->price_desc = g_strdup(find_billable(run, a->id)->desc);
  TsRate rate;
  machine_group_rate(a, &rate);
  run_ownership_init(run, a, &rate, find_billable(run, a->id));
  run_energy_site(run);
  return TRUE;
}

TsBillable *
run_cluster_billable(TsRun *run)
{
  return run->cluster != NULL ? find_billable(run, run->cluster->accel.id) : NULL;
}

guint
ts_machine_group_get_domain(const TsMachineGroup *a)
{
  guint per = MAX(1u, a->per_node);
  double fabric = a->record != NULL ? a->record->nvlink_domain : 0;
  if (a->slice != NULL || !(fabric > per))
    return per;
  guint hosts = (guint) (fabric / per); /* whole hosts: the fabric's trays are the hosts' GPUs */
  return MAX(per, MIN(a->devices, hosts * per));
}

TsPriceUnit
ts_machine_group_get_price_unit(const TsMachineGroup *a)
{
  if (a->slice != NULL)
    return TS_PRICE_CHIP_HOUR;
  if (a->instance != NULL)
    return TS_PRICE_INSTANCE_HOUR;
  return TS_PRICE_DEVICE_HOUR;
}

gboolean
ts_run_add_machine(TsRun *run, TsMachineGroup *machine, GError **error)
{
  g_ptr_array_add(run->machines, machine);
  return add_billable(run, machine, error);
}

gboolean
ts_run_provision(TsRun *run, int id, double startup_s, const char *where, TsRunDone done, void *data,
                 GError **error)
{
  TsBillable *b = find_billable(run, id);
  if (b == NULL) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: provision of a machine the run does not know", where);
    return FALSE;
  }
  if (b->since >= 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: %s is already provisioned", where, b->unit_name);
    return FALSE;
  }
  TsTime now = ts_engine_get_now(run->engine);
  ts_billable_start(b, now); /* billing starts when the machine is requested, not when it is ready */
  run_energy_note_start(run, b);
  run_energy_update(run);
  TsTime end = ts_time_add(now, ts_time_from_seconds(startup_s));
  g_autofree char *name = g_strdup_printf("provision %s", b->name);
  run_add_phase(run, TS_PHASE_PROVISION, name, now, end);
  run_emit_sample(run);
  run_meter_start(run, startup_s, end);
  run_schedule_done(run, end, done, data);
  return TRUE;
}

/* r:train and r:infer on accelerators the scenario never provisioned: they are rented at that moment
 * (no startup time) and billed from then on, so a forgotten r:provision cannot make a run free. */
void
run_provision_implicitly(TsRun *run, const char *where)
{
  TsBillable *b = run->cluster ? find_billable(run, run->cluster->accel.id) : NULL;
  if (b == NULL || b->since >= 0)
    return;
  TsTime now = ts_engine_get_now(run->engine);
  ts_billable_start(b, now);
  run_energy_note_start(run, b);
  run_energy_update(run);
  const char *what = b->name;
  g_autofree char *name = g_strdup_printf("provision %s", what);
  run_add_phase(run, TS_PHASE_PROVISION, name, now, now);
  ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "implicit-provision", "%s: %s was not provisioned: provisioned now "
                        "and billed from here (call r:provision earlier to stage it, with its startup time)", where,
                        what);
  run_emit_sample(run);
}

gboolean
ts_run_release(TsRun *run, int id, const char *where, TsRunDone done, void *data, GError **error)
{
  TsBillable *b = find_billable(run, id);
  if (b == NULL || b->since < 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: release of an accelerator that is not provisioned", where);
    return FALSE;
  }
  TsTime now = ts_engine_get_now(run->engine);
  run_bill_stop(run, b, now);
  run_energy_update(run);
  g_autofree char *name = g_strdup_printf("release %s", b->name);
  run_add_phase(run, TS_PHASE_RELEASE, name, now, now);
  run_emit_sample(run);
  run_schedule_done(run, now, done, data);
  return TRUE;
}

double
ts_run_get_cluster_rate(TsRun *run, const char **desc)
{
  TsBillable *b = run->cluster != NULL ? find_billable(run, run->cluster->accel.id) : NULL;
  if (desc != NULL)
    *desc = b != NULL ? b->desc : NULL;
  return b != NULL ? b->rate : NAN;
}
