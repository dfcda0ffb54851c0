/* The energy the run's machines draw and what it emits (docs/model.md, "Energy and carbon").
 *
 * Each machine group draws, while it is held (provisioned to released, as billed), its idle power plus the share
 * of its devices' work: P = idle + u x (busy - idle), where u is the fraction of the instant the devices compute
 * (1 in evaluation and inference, the device share of a step in training -- the input-bound rest of a step waits
 * -- 0 in checkpoint writes, restarts, downloads, waits).  busy is the catalog's maximum power (TDP, or a whole
 * machine's stated power), idle the chip's idle power where a source gives one; where none does, idle = busy (an
 * upper bound, said in energy.scope).  The draw is integrated exactly between the instants it changes, so the
 * timeline's cumulative kWh and the summary's agree.  The facility's energy is the machines' x the data centre's
 * PUE, and the emissions that x the grid's carbon intensity; an unknown figure is NaN (null), never a default. */
#include "run/run-private.h"

#include "cost/datacentres.h"

#include <math.h>
#include <string.h>

static void
source_free(gpointer p)
{
  TsEnergySource *s = p;
  g_free(s->what);
  g_free(s->value);
  g_free(s->source);
  g_free(s->url);
  g_free(s->date);
  g_free(s);
}

static void
add_source(TsRun *run, const char *what, const char *value, const char *source, const char *url, const char *date)
{
  TsResults *r = &run->results;
  if (r->energy.sources == NULL)
    r->energy.sources = g_ptr_array_new_with_free_func(source_free);
  TsEnergySource *s = g_new0(TsEnergySource, 1);
  s->what = g_strdup(what);
  s->value = g_strdup(value);
  s->source = g_strdup(source);
  s->url = g_strdup(url);
  s->date = g_strdup(date);
  g_ptr_array_add(r->energy.sources, s);
}

/* A catalog field's provenance as an energy source: "TPU v3 chip, maximum power" = "262 W" (title, url, date). */
static void
add_field_source(TsRun *run, const TsCatalog *catalog, GPtrArray *fields, const char *name, const char *what)
{
  if (fields == NULL)
    return;
  for (guint i = 0; i < fields->len; i++) {
    const TsField *f = g_ptr_array_index(fields, i);
    if (strcmp(f->name, name) != 0)
      continue;
    const TsSource *s = catalog != NULL && f->source != NULL ? g_hash_table_lookup(catalog->sources, f->source) : NULL;
    add_source(run, what, f->text, s ? s->title : f->source, s ? s->url : NULL, s ? s->date : NULL);
    return;
  }
}

static gboolean
has_field(GPtrArray *fields, const char *name)
{
  for (guint i = 0; fields != NULL && i < fields->len; i++)
    if (strcmp(((const TsField *) g_ptr_array_index(fields, i))->name, name) == 0)
      return TRUE;
  return FALSE;
}

void
run_energy_free(TsRun *run)
{
  g_clear_pointer(&run->results.energy.sources, g_ptr_array_unref);
  g_free(run->results.energy.scope);
  g_free(run->results.energy.unknown);
  if (run->powers != NULL)
    g_array_unref(run->powers);
}

/* The host CPUs' sockets of a group the catalog gives the CPU's power for; 0 when not counted. */
static double
host_sockets(const TsMachineGroup *a)
{
  const TsDeviceRecord *cpu = a->host_cpu;
  const TsCatalog *catalog = ts_plugin_get_catalog(a->plugin);
  if ((catalog != NULL && catalog->host_role) || cpu == NULL || !(cpu->spec.tdp_watts > 0) ||
      !(cpu->spec.cores > 0) || !(a->host_cores > 0))
    return 0; /* a CPU machine's devices are its CPUs; otherwise the CPU or its power is not known */
  return MAX(1.0, round(a->host_cores / cpu->spec.cores)) * a->nodes;
}

/* The group's draw idle and at work (watts, the whole group); FALSE when no source gives its power. */
static gboolean
group_watts(const TsMachineGroup *a, double *idle_w, double *busy_w)
{
  const TsDeviceRecord *d = a->record;
  if (a->instance != NULL && a->instance->power > 0) {
    *busy_w = *idle_w = a->instance->power * a->nodes; /* a whole machine's stated power: CPUs, memory, fans */
    return TRUE;
  }
  if (!(d->spec.tdp_watts > 0))
    return FALSE;
  double idle = d->idle_power_w > 0 && d->idle_power_w <= d->spec.tdp_watts ? d->idle_power_w : d->spec.tdp_watts;
  double host = a->host_cpu != NULL ? a->host_cpu->spec.tdp_watts * host_sockets(a) : 0;
  *busy_w = d->spec.tdp_watts * a->devices + host;
  *idle_w = idle * a->devices + host;
  return TRUE;
}

double
run_energy_get_owned_watts(const TsMachineGroup *a)
{
  double idle, busy;
  if (!group_watts(a, &idle, &busy) || a->nodes == 0)
    return 0;
  return busy / a->nodes * (a->pue >= 1 ? a->pue : 1.0);
}

/* What one machine group draws, idle and at work, in watts; and where the figures come from. */
void
run_energy_add_group(TsRun *run, const TsMachineGroup *a, gboolean cluster)
{
  if (run->powers == NULL)
    run->powers = g_array_new(FALSE, TRUE, sizeof(GroupPower));
  GroupPower g = {0};
  g.cluster = cluster;
  const TsInstanceRecord *inst = a->instance;
  const TsDeviceRecord *d = a->record;
  const TsCatalog *catalog = d->origin != NULL ? d->origin : ts_plugin_get_catalog(a->plugin);
  const char *unit = inst ? inst->name : d->sku;
  GString *scope = g_string_new(NULL);
  g.known = group_watts(a, &g.idle_w, &g.busy_w);
  if (a->owned)
    /* Owned hardware pays its electricity at the draw it is billed at, the maximum whenever held (core/cost/
     * billing.c): its energy is that same draw, so the electricity cost is energy.kwh x the price. */
    g.idle_w = g.busy_w;
  if (inst != NULL && inst->power > 0) {
    g_autofree char *what = g_strdup_printf("%s, power of one machine", inst->name);
    add_field_source(run, catalog, inst->fields, "power", what);
    g_string_append_printf(scope, "%s at its stated power whenever held (no idle figure)", inst->name);
  } else if (g.known) {
    g_autofree char *what = g_strdup_printf("%s, maximum power of one device", d->name);
    add_field_source(run, catalog, d->fields, "tdp", what);
    if (a->owned) {
      g_string_append_printf(scope, "%u x %s, owned: at maximum power whenever held, as its electricity is billed",
                             a->devices, d->name);
    } else if (d->idle_power_w > 0) {
      g_autofree char *idle = g_strdup_printf("%s, idle power of one device", d->name);
      add_field_source(run, catalog, d->fields, "idle_power", idle);
      g_string_append_printf(scope, "%u x %s: idle power when idle, maximum x the busy share otherwise", a->devices,
                             d->name);
    } else {
      g_string_append_printf(scope, "%u x %s at maximum power whenever held (the source gives no idle figure: an "
                             "upper bound)", a->devices, d->name);
    }
    /* The hosts' CPUs, where the catalog names them and their power. */
    const TsDeviceRecord *cpu = a->host_cpu;
    double sockets = host_sockets(a);
    const TsCatalog *own = ts_plugin_get_catalog(a->plugin);
    if (own != NULL && own->host_role) {
      /* a CPU machine: its devices are the CPUs themselves */
    } else if (sockets > 0) {
      g_autofree char *cpu_what = g_strdup_printf("%s (host CPU), maximum power of one socket", cpu->name);
      const TsCatalog *cc = NULL;
      const TsPlugin *owner = NULL;
      if (ts_registry_find_host_cpu(run->registry, cpu->sku, &owner, NULL) != NULL && owner != NULL)
        cc = ts_plugin_get_catalog(owner);
      add_field_source(run, cc, cpu->fields, "tdp", cpu_what);
      g_string_append_printf(scope, "; %.0f x %s host CPUs at maximum power", sockets, cpu->name);
    } else {
      g_string_append_printf(scope, "; host CPUs not counted (%s)",
                             cpu == NULL ? "the catalog names no host CPU" : "the catalog gives the host CPU no power");
    }
  } else {
    g_free(run->results.energy.unknown);
    run->results.energy.unknown = g_strdup_printf("%s: the catalog gives no power for %s (%s)", unit, d->name,
                                                  has_field(d->fields, "tdp") ? "unreadable" : "no source found");
  }
  if (cluster && scope->len > 0) {
    g_string_append(scope, "; memory, disks and network switches not counted except in a machine's stated power");
    g_free(run->results.energy.scope);
    run->results.energy.scope = g_string_free(scope, FALSE);
  } else {
    g_string_free(scope, TRUE);
  }
  g_array_append_val(run->powers, g);
}

/* One group's share of the held sums. */
static void
add_group(RunEnergy *e, const GroupPower *g)
{
  if (!g->known)
    e->held_unknown = TRUE;
  else if (g->cluster) {
    e->cluster_idle_w += g->idle_w;
    e->cluster_span_w += g->busy_w - g->idle_w;
  } else
    e->other_w += g->busy_w;
}

static void
recompute_sums(TsRun *run)
{
  RunEnergy *e = &run->energy;
  e->cluster_idle_w = e->cluster_span_w = e->other_w = 0;
  e->held_unknown = FALSE;
  for (guint i = 0; run->powers != NULL && i < run->powers->len && i < run->billables->len; i++)
    if (g_array_index(run->billables, TsBillable, i).since >= 0)
      add_group(e, &g_array_index(run->powers, GroupPower, i));
  e->sums_valid = TRUE;
}

void
run_energy_note_start(TsRun *run, const TsBillable *b)
{
  RunEnergy *e = &run->energy;
  if (!e->sums_valid || run->powers == NULL || run->billables->len == 0)
    return;
  gsize i = (gsize) (b - &g_array_index(run->billables, TsBillable, 0));
  if (i < run->powers->len && i < run->billables->len)
    add_group(e, &g_array_index(run->powers, GroupPower, i));
}

void
run_energy_note_stop(TsRun *run)
{
  run->energy.sums_valid = FALSE; /* a subtraction would drift; the next update sums the held groups afresh */
}

/* The draw of the held machines now, at the cluster's busy share u. */
static double
power_at(TsRun *run, double u, gboolean *unknown)
{
  RunEnergy *e = &run->energy;
  if (!e->sums_valid)
    recompute_sums(run);
  if (e->held_unknown)
    *unknown = TRUE;
  return e->cluster_idle_w + u * e->cluster_span_w + e->other_w;
}

/* Joules drawn from the last settlement up to `now`: busy until activity_until, idle after. */
static double
pending_joules(const TsRun *run, TsTime now)
{
  const RunEnergy *e = &run->energy;
  if (now <= e->since)
    return 0;
  TsTime t1 = MIN(now, MAX(e->since, e->until));
  return e->power_w * ts_time_to_seconds(t1 - e->since) + e->idle_w * ts_time_to_seconds(now - t1);
}

void
run_energy_update(TsRun *run)
{
  RunEnergy *e = &run->energy;
  TsTime now = ts_engine_get_now(run->engine);
  e->joules += pending_joules(run, now);
  e->since = now;
  if (e->until <= now)
    e->activity = 0;
  gboolean unknown = FALSE;
  e->power_w = power_at(run, e->activity, &unknown);
  e->idle_w = power_at(run, 0, &unknown);
  if (unknown)
    e->unknown = TRUE;
}

void
run_energy_set_activity(TsRun *run, double u, TsTime until)
{
  run_energy_update(run); /* settle at the old share first */
  run->energy.activity = isfinite(u) ? CLAMP(u, 0.0, 1.0) : 1.0;
  run->energy.until = until;
  run_energy_update(run);
}

double
run_energy_kwh_at(const TsRun *run)
{
  const TsResults *r = &run->results;
  if (run->energy.unknown)
    return NAN;
  double it = (run->energy.joules + pending_joules(run, ts_engine_get_now(run->engine))) / 3.6e6;
  return it * r->energy.pue; /* NaN when the PUE is unknown */
}

/* The data centre's PUE and the grid's intensity, when the cluster is set: the scenario's, else the provider's
 * and the region's published figures (datacentres.h), else unknown. */
void
run_energy_site(TsRun *run)
{
  TsResults *r = &run->results;
  const TsMachineGroup *a = &run->cluster->accel;
  const char *region = a->price_field != NULL && !a->owned ? a->price_field->region : NULL;
  const TsEnergyFact *grid = ts_datacentre_find_grid(region);
  const char *provider = a->instance != NULL ? a->instance->provider : grid != NULL ? grid->provider : NULL;
  r->energy.pue = NAN;
  r->energy.grid_g_per_kwh = NAN;
  if (a->pue >= 1) {
    r->energy.pue = a->pue;
    g_autofree char *v = g_strdup_printf("%g", a->pue);
    add_source(run, "data-centre PUE", v, "the scenario (cluster{pue})", NULL, NULL);
  } else if (a->owned) {
    /* Owned hardware pays its electricity at the plug: no facility overhead unless the scenario states one. */
    r->energy.pue = 1;
    add_source(run, "data-centre PUE", "1", "owned hardware: no facility overhead counted (give cluster{pue = ...} "
               "for a site's)", NULL, NULL);
  } else {
    const TsEnergyFact *pue = ts_datacentre_find_pue(provider);
    if (pue != NULL) {
      r->energy.pue = pue->value;
      g_autofree char *what = g_strdup_printf("data-centre PUE (%s fleet)", pue->key);
      g_autofree char *v = g_strdup_printf("%g", pue->value);
      add_source(run, what, v, pue->title, pue->url, pue->date);
    } else {
      ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "pue-unknown", "%s: no published data-centre PUE is known for "
                            "%s, so the facility's energy and carbon are unknown (null); give cluster{pue = 1.2}",
                            a->instance ? a->instance->name : a->record->sku,
                            provider != NULL ? provider : "its provider");
    }
  }
  if (a->grid_given) {
    r->energy.grid_g_per_kwh = a->grid;
    g_autofree char *v = g_strdup_printf("%g g/kWh", a->grid);
    add_source(run, "grid carbon intensity", v, "the scenario (cluster{carbon})", NULL, NULL);
  } else if (grid != NULL) {
    r->energy.grid_g_per_kwh = grid->value;
    g_autofree char *what = g_strdup_printf("grid carbon intensity (%s, the region of the catalog's price)", grid->key);
    g_autofree char *v = g_strdup_printf("%g g/kWh", grid->value);
    add_source(run, what, v, grid->title, grid->url, grid->date);
  } else {
    ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "carbon-unknown", "%s: the grid's carbon intensity is unknown "
                          "for %s, so the emissions are unknown (null); give cluster{carbon = \"400 g/kWh\"}",
                          a->instance ? a->instance->name : a->record->sku,
                          region != NULL ? region : a->owned ? "owned hardware" : "this cluster's region");
  }
}

/* The totals, at the end of the run (after every machine is released). */
void
run_energy_finish(TsRun *run)
{
  run_energy_update(run);
  TsResults *r = &run->results;
  r->energy.it_kwh = run->energy.unknown ? NAN : run->energy.joules / 3.6e6;
  r->energy.kwh = r->energy.it_kwh * r->energy.pue;
  r->energy.co2_kg = r->energy.kwh * r->energy.grid_g_per_kwh / 1000.0;
  if (run->energy.unknown && r->energy.unknown != NULL)
    ts_run_add_diagnostic(run, TS_SEVERITY_WARNING, "energy-unknown", "%s: energy and carbon are unknown (null)",
                          r->energy.unknown);
}
