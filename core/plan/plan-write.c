/* trainsim plan's outputs: the table, --json and --csv.  Nothing here depends on the number of threads or the
 * time the search took: the same scenario gives the same bytes. */
#include "plan/plan.h"

#include "common/ts-error.h"
#include "output/atomic-file.h"
#include "output/json-writer.h"
#include "units/units.h"

#include <math.h>

static double
plan_time(const TsPlanCandidate *c)
{
  return c->verified ? c->run_time_s : c->time_s;
}

static double
plan_cost(const TsPlanCandidate *c)
{
  return c->verified ? c->run_cost_usd : c->cost_usd;
}

static const char *
hardware_name(const TsPlanResult *r, guint hw)
{
  return ((const TsPlanHardware *) g_ptr_array_index(r->hardware, hw))->name;
}

/* "tensor 8, pipeline 16 (interleaved 8), data 128, ..." */
static char *
layout_text(const TsPlanLayout *l)
{
  g_autofree char *vp = l->vp > 1 ? g_strdup_printf(" x %u interleaved", l->vp) : g_strdup("");
  g_autofree char *group = l->shard_group > 0 ? g_strdup_printf(" in groups of %u", l->shard_group) : g_strdup("");
  return g_strdup_printf("tensor %u%s, pipeline %u%s, data %u, context %u, expert %u, ZeRO-%u%s, micro-batch %u x %u, "
                         "recompute %s, %s", l->tp, l->tp > 1 ? (l->sp ? " (sequence parallel)" : "") : "", l->pp, vp,
                         l->dp, l->cp, l->ep, l->zero, group, l->micro, l->n_micro,
                         ts_plan_recompute_get_name(l->recompute), ts_precision_get_name(l->precision));
}

static char *
usd_or_unknown(double usd)
{
  return isnan(usd) ? g_strdup("unknown") : ts_format_usd(usd);
}

/* "out of memory, over deadline": why a family has no plan. */
static char *
family_reason(const TsPlanFamily *f)
{
  GString *s = g_string_new(NULL);
  if (f->evaluated == 0)
    g_string_append(s, "out of memory");
  if (f->over_deadline > 0)
    g_string_append_printf(s, "%sover deadline", s->len ? ", " : "");
  if (f->over_budget > 0)
    g_string_append_printf(s, "%sover budget (or its cost unknown)", s->len ? ", " : "");
  return g_string_free(s, FALSE);
}

#define MAX_FAMILIES_SHOWN 8

/* With several hardware choices: the best plan of each, or that none has one within the limits. */
static void
print_per_hardware(FILE *out, const TsPlanResult *r)
{
  if (r->hardware->len < 2)
    return;
  fprintf(out, "\nthe best on each hardware choice:\n");
  for (guint hw = 0; hw < r->hardware->len; hw++) {
    const TsPlanCandidate *c = NULL;
    for (guint i = 0; i < r->per_hardware->len; i++)
      if (g_array_index(r->per_hardware, TsPlanCandidate, i).layout.hw == hw)
        c = &g_array_index(r->per_hardware, TsPlanCandidate, i);
    if (c == NULL) {
      fprintf(out, "  %u  %s: no layout fits\n", hw, hardware_name(r, hw));
      continue;
    }
    g_autofree char *t = ts_format_duration(plan_time(c));
    g_autofree char *cost = usd_or_unknown(plan_cost(c));
    g_autofree char *lt = layout_text(&c->layout);
    gboolean meets = !c->over_deadline && !c->over_budget && (!c->verified || c->run_feasible);
    const char *why = c->verified && !c->run_feasible ? "infeasible as a run"
                      : c->over_deadline && c->over_budget ? "over the deadline and the budget"
                      : c->over_deadline ? "over the deadline" : "over the budget";
    g_autofree char *at = c->verified && c->run_replicas > 1 ? g_strdup_printf(" at P%u", r->options.quantile)
                                                             : g_strdup("");
    fprintf(out, "  %u  %s: %s%s%s, %s%s (%s)\n", hw, hardware_name(r, hw), meets ? "" : why,
            meets ? "" : " at best: ", t, cost, at, lt);
  }
}

void
ts_plan_print(FILE *out, const TsPlanResult *r)
{
  const TsPlanOptions *o = &r->options;
  fprintf(out, "plan of %s (%" G_GUINT64_FORMAT " steps), objective %s", r->where, r->steps,
          ts_plan_objective_get_name(o->objective));
  if (!isnan(o->deadline_s)) {
    g_autofree char *d = ts_format_duration(o->deadline_s);
    fprintf(out, ", deadline %s", d);
  }
  if (!isnan(o->budget_usd)) {
    g_autofree char *b = ts_format_usd(o->budget_usd);
    fprintf(out, ", budget %s", b);
  }
  fprintf(out, ", at P%u", o->quantile);
  if (r->failures)
    fprintf(out, " (of %u seeds for runs with random failures)", o->replicas);
  fprintf(out, "\n%" G_GUINT64_FORMAT " layouts timed, %" G_GUINT64_FORMAT " ruled out by memory before timing, on "
          "%u hardware choice%s; %" G_GUINT64_FORMAT " plans played as whole runs\n", r->evaluated, r->pruned,
          r->hardware->len, r->hardware->len == 1 ? "" : "s", r->played);
  for (guint i = 0; i < r->hardware->len; i++) {
    const TsPlanHardware *h = g_ptr_array_index(r->hardware, i);
    fprintf(out, "  %u  %s: %" G_GUINT64_FORMAT " timed; %s\n", i, h->name, h->evaluated,
            h->rate_desc ? h->rate_desc : "price unknown");
  }
  g_autofree char *own = layout_text(&r->scenario_layout);
  if (r->scenario_fits) {
    g_autofree char *st = ts_format_duration(r->scenario_step_s);
    fprintf(out, "the scenario's layout: %s; step %s (%.4g s)\n", own, st, r->scenario_step_s);
  } else {
    fprintf(out, "the scenario's layout: %s; %s\n", own,
            isnan(r->scenario_step_s) && r->scenario_layout.dp == 0 ? "does not split the devices or the batch"
                                                                    : "out of device memory");
  }
  if (r->plans->len == 0)
    fprintf(out, "\nno plan meets the limits\n");
  for (guint i = 0; i < r->plans->len; i++) {
    const TsPlanCandidate *c = &g_array_index(r->plans, TsPlanCandidate, i);
    const TsPlanLayout *l = &c->layout;
    g_autofree char *lt = layout_text(l);
    g_autofree char *step = ts_format_duration(c->est.step_s);
    g_autofree char *mem = ts_format_bytes(c->est.device_memory_bytes);
    g_autofree char *cap = ts_format_bytes(c->est.device_capacity_bytes);
    g_autofree char *t = ts_format_duration(plan_time(c));
    g_autofree char *cost = usd_or_unknown(plan_cost(c));
    fprintf(out, "\n%u. %s%s\n", i + 1, hardware_name(r, l->hw), c->pareto ? " (Pareto front)" : "");
    fprintf(out, "   layout      %s\n", lt);
    fprintf(out, "   step        %s (%.4g s), MFU %.1f %%:", step, c->est.step_s, 100.0 * c->est.mfu);
    const TsStepBreakdown *b = &c->est.step;
    const struct {
      const char *name;
      double s;
    } terms[] = {{"compute", b->compute}, {"activations", b->activations}, {"launch", b->launch},
                 {"bubble", b->bubble}, {"tensor", b->tensor}, {"context", b->context}, {"experts", b->experts},
                 {"data-parallel exposed", b->data_exposed}, {"update", b->update}, {"overhead", b->overhead}};
    for (guint k = 0; k < G_N_ELEMENTS(terms); k++) {
      if (isnan(terms[k].s))
        fprintf(out, "%s %s not modelled", k ? "," : "", terms[k].name);
      else
        fprintf(out, "%s %s %.3g s", k ? "," : "", terms[k].name, terms[k].s);
    }
    fprintf(out, "\n");
    if (!c->est.collectives_modelled)
      fprintf(out, "   note        the device's plugin does not time some of this layout's collectives: the step "
              "leaves them out, so it ranks after every fully timed layout\n");
    fprintf(out, "   memory      %s of %s per device", mem, cap);
    if (c->est.recompute > 0 && c->est.recompute < 1)
      fprintf(out, " (recomputing %.0f %% of the layers)", 100.0 * c->est.recompute);
    fprintf(out, "\n");
    if (c->verified) {
      g_autofree char *p50 = ts_format_duration(c->run_time_p50_s);
      g_autofree char *p90 = ts_format_duration(c->run_time_p90_s);
      g_autofree char *c50 = usd_or_unknown(c->run_cost_p50_usd);
      g_autofree char *c90 = usd_or_unknown(c->run_cost_p90_usd);
      g_autofree char *seeds = c->run_replicas > 1 ? g_strdup_printf("%u seeds and the model's error band",
                                                                     c->run_replicas)
                                                   : g_strdup("the model's error band");
      fprintf(out, "   run         %s, %s at P%u (%s: P50 %s, %s; P90 %s, %s)\n", t, cost, o->quantile, seeds, p50,
              c50, p90, c90);
    } else {
      fprintf(out, "   run         %s, %s%s\n", t, cost, c->verified ? "" : " (estimated: steps x step + the "
                                                                             "scenario's other phases)");
    }
  }
  print_per_hardware(out, r);
  if (r->families->len > 0) {
    fprintf(out, "\nrejected: %u of the layout families (hardware x tensor x pipeline x context x expert) have no "
            "plan within the limits\n", r->families->len);
    for (guint i = 0; i < r->families->len && i < MAX_FAMILIES_SHOWN; i++) {
      const TsPlanFamily *f = &g_array_index(r->families, TsPlanFamily, i);
      g_autofree char *why = family_reason(f);
      fprintf(out, "  %u  tensor %u, pipeline %u, context %u, expert %u: %s", f->hw, f->tp, f->pp, f->cp, f->ep,
              why);
      if (f->evaluated == 0 && isfinite(f->least_memory_bytes)) {
        g_autofree char *m = ts_format_bytes(f->least_memory_bytes);
        fprintf(out, " (%s per device at the least)", m);
      } else if (f->evaluated > 0) {
        g_autofree char *bt = ts_format_duration(f->best_time_s);
        fprintf(out, " (fastest %s)", bt);
      }
      fprintf(out, "\n");
    }
    if (r->families->len > MAX_FAMILIES_SHOWN)
      fprintf(out, "  ... and %u more (--json lists them all)\n", r->families->len - MAX_FAMILIES_SHOWN);
  }
}

static void
layout_json(TsJsonWriter *w, const TsPlanLayout *l)
{
  ts_json_begin_object(w, "layout");
  ts_json_int(w, "tensor", l->tp);
  ts_json_int(w, "pipeline", l->pp);
  ts_json_int(w, "virtual", l->vp);
  ts_json_int(w, "data", l->dp);
  ts_json_int(w, "context", l->cp);
  ts_json_int(w, "expert", l->ep);
  ts_json_int(w, "zero", l->zero);
  ts_json_int(w, "shard_group", l->shard_group);
  ts_json_int(w, "micro_batch", l->micro);
  ts_json_int(w, "accumulation", l->n_micro);
  ts_json_bool(w, "sequence_parallel", l->sp);
  ts_json_string(w, "recompute", ts_plan_recompute_get_name(l->recompute));
  ts_json_string(w, "precision", ts_precision_get_name(l->precision));
  ts_json_end_object(w);
}

static void
step_json(TsJsonWriter *w, const TsStepBreakdown *s)
{
  ts_json_begin_object(w, "step_breakdown_s");
  ts_json_number(w, "compute", s->compute);
  ts_json_number(w, "activations", s->activations);
  ts_json_number(w, "launch", s->launch);
  ts_json_number(w, "bubble", s->bubble);
  ts_json_number(w, "tensor", s->tensor);
  ts_json_number(w, "context", s->context);
  ts_json_number(w, "experts", s->experts);
  ts_json_number(w, "data_exposed", s->data_exposed);
  ts_json_number(w, "update", s->update);
  ts_json_number(w, "overhead", s->overhead);
  ts_json_number(w, "input", s->input);
  ts_json_number(w, "storage", s->storage);
  ts_json_end_object(w);
}

/* One plan: rank 0 for the best of a hardware choice, which may not meet the limits (meets says). */
static void
candidate_json(TsJsonWriter *w, const TsPlanResult *r, const TsPlanCandidate *c, guint rank)
{
  ts_json_begin_object(w, NULL);
  if (rank > 0)
    ts_json_int(w, "rank", rank);
  ts_json_int(w, "hardware", c->layout.hw);
  ts_json_string(w, "hardware_name", hardware_name(r, c->layout.hw));
  ts_json_bool(w, "meets", !c->over_deadline && !c->over_budget && (!c->verified || c->run_feasible));
  ts_json_bool(w, "over_deadline", c->over_deadline);
  ts_json_bool(w, "over_budget", c->over_budget);
  layout_json(w, &c->layout);
  ts_json_number(w, "step_s", c->est.step_s);
  ts_json_bool(w, "collectives_modelled", c->est.collectives_modelled);
  step_json(w, &c->est.step);
  ts_json_number(w, "mfu", c->est.mfu);
  ts_json_number(w, "device_memory_bytes", c->est.device_memory_bytes);
  ts_json_number(w, "device_capacity_bytes", c->est.device_capacity_bytes);
  ts_json_number(w, "recompute_fraction", c->est.recompute);
  ts_json_bool(w, "pareto", c->pareto);
  ts_json_begin_object(w, "estimate");
  ts_json_number(w, "time_s", c->time_s);
  ts_json_number(w, "cost_usd", c->cost_usd);
  ts_json_end_object(w);
  ts_json_begin_object(w, "run");
  ts_json_bool(w, "played", c->verified);
  if (c->verified) {
    ts_json_bool(w, "feasible", c->run_feasible);
    ts_json_int(w, "replicas", c->run_replicas);
    ts_json_number(w, "time_s", c->run_time_s);
    ts_json_number(w, "cost_usd", c->run_cost_usd);
    ts_json_number(w, "time_p50_s", c->run_time_p50_s);
    ts_json_number(w, "time_p90_s", c->run_time_p90_s);
    ts_json_number(w, "cost_p50_usd", c->run_cost_p50_usd);
    ts_json_number(w, "cost_p90_usd", c->run_cost_p90_usd);
  }
  ts_json_end_object(w);
  ts_json_number(w, "time_s", plan_time(c));
  ts_json_number(w, "cost_usd", plan_cost(c));
  ts_json_end_object(w);
}

char *
ts_plan_to_json(const TsPlanResult *r)
{
  const TsPlanOptions *o = &r->options;
  GString *out = g_string_new(NULL);
  TsJsonWriter w;
  ts_json_writer_init(&w, out, TRUE);
  ts_json_begin_object(&w, NULL);
  ts_json_string(&w, "scenario", r->scenario);
  ts_json_string(&w, "training", r->where);
  ts_json_int(&w, "steps", (gint64) r->steps);
  ts_json_string(&w, "objective", ts_plan_objective_get_name(o->objective));
  if (!isnan(o->deadline_s))
    ts_json_number(&w, "deadline_s", o->deadline_s);
  else
    ts_json_null(&w, "deadline_s");
  if (!isnan(o->budget_usd))
    ts_json_number(&w, "budget_usd", o->budget_usd);
  else
    ts_json_null(&w, "budget_usd");
  ts_json_int(&w, "quantile", o->quantile);
  ts_json_bool(&w, "random_failures", r->failures);
  ts_json_int(&w, "candidates_evaluated", (gint64) r->evaluated);
  ts_json_int(&w, "pruned_by_memory", (gint64) r->pruned);
  ts_json_int(&w, "plans_played", (gint64) r->played);
  ts_json_begin_array(&w, "hardware");
  for (guint i = 0; i < r->hardware->len; i++) {
    const TsPlanHardware *h = g_ptr_array_index(r->hardware, i);
    ts_json_begin_object(&w, NULL);
    ts_json_int(&w, "index", i);
    ts_json_string(&w, "name", h->name);
    ts_json_number(&w, "usd_per_hour", h->rate_usd_per_s * 3600.0);
    ts_json_string(&w, "price", h->rate_desc);
    ts_json_number(&w, "other_phases_s", h->fixed_s);
    ts_json_int(&w, "candidates_evaluated", (gint64) h->evaluated);
    ts_json_int(&w, "pruned_by_memory", (gint64) h->pruned_memory);
    ts_json_end_object(&w);
  }
  ts_json_end_array(&w);
  ts_json_begin_object(&w, "scenario_layout");
  layout_json(&w, &r->scenario_layout);
  ts_json_bool(&w, "fits", r->scenario_fits);
  ts_json_number(&w, "step_s", r->scenario_step_s);
  ts_json_end_object(&w);
  ts_json_begin_array(&w, "plans");
  for (guint i = 0; i < r->plans->len; i++)
    candidate_json(&w, r, &g_array_index(r->plans, TsPlanCandidate, i), i + 1);
  ts_json_end_array(&w);
  ts_json_begin_array(&w, "best_per_hardware");
  for (guint i = 0; i < r->per_hardware->len; i++)
    candidate_json(&w, r, &g_array_index(r->per_hardware, TsPlanCandidate, i), 0);
  ts_json_end_array(&w);
  ts_json_begin_array(&w, "rejected");
  for (guint i = 0; i < r->families->len; i++) {
    const TsPlanFamily *f = &g_array_index(r->families, TsPlanFamily, i);
    g_autofree char *why = family_reason(f);
    ts_json_begin_object(&w, NULL);
    ts_json_int(&w, "hardware", f->hw);
    ts_json_int(&w, "tensor", f->tp);
    ts_json_int(&w, "pipeline", f->pp);
    ts_json_int(&w, "context", f->cp);
    ts_json_int(&w, "expert", f->ep);
    ts_json_string(&w, "reason", why);
    ts_json_int(&w, "candidates_evaluated", (gint64) f->evaluated);
    ts_json_int(&w, "out_of_memory", (gint64) f->oom);
    ts_json_int(&w, "over_deadline", (gint64) f->over_deadline);
    ts_json_int(&w, "over_budget", (gint64) f->over_budget);
    ts_json_number(&w, "least_memory_bytes", f->evaluated == 0 ? f->least_memory_bytes : NAN);
    ts_json_number(&w, "best_time_s", f->evaluated > 0 ? f->best_time_s : NAN);
    ts_json_number(&w, "best_cost_usd", f->evaluated > 0 ? f->best_cost_usd : NAN);
    ts_json_end_object(&w);
  }
  ts_json_end_array(&w);
  ts_json_end_object(&w);
  g_string_append_c(out, '\n');
  return g_string_free(out, FALSE);
}

/* A number of the CSV: empty when not known (a collective the plugin does not model, a price not listed). */
static void
csv_number(GString *s, double v, int digits)
{
  g_string_append_c(s, ',');
  if (isfinite(v))
    g_string_append_printf(s, "%.*g", digits, v);
}

gboolean
ts_plan_write_csv(const TsPlanResult *r, const char *path, GError **error)
{
  GString *s = g_string_new("hardware,tensor,pipeline,virtual,data,context,expert,zero,shard_group,micro_batch,"
                            "accumulation,sequence_parallel,recompute,precision,recompute_fraction,device_memory_bytes,step_s,"
                            "compute_s,activations_s,launch_s,bubble_s,tensor_s,context_s,experts_s,data_exposed_s,"
                            "update_s,overhead_s,mfu,time_s,cost_usd,over_deadline,over_budget\n");
  for (guint i = 0; i < r->candidates->len; i++) {
    const TsPlanCandidate *c = &g_array_index(r->candidates, TsPlanCandidate, i);
    const TsPlanLayout *l = &c->layout;
    const TsStepBreakdown *t = &c->est.step;
    g_string_append_printf(s, "%u,%u,%u,%u,%u,%u,%u,%u,%u,%u,%u,%s,%s,%s", l->hw, l->tp, l->pp, l->vp, l->dp, l->cp,
                           l->ep, l->zero, l->shard_group, l->micro, l->n_micro, l->sp ? "true" : "false",
                           ts_plan_recompute_get_name(l->recompute), ts_precision_get_name(l->precision));
    const double terms[] = {c->est.recompute, c->est.device_memory_bytes, c->est.step_s, t->compute, t->activations,
                            t->launch, t->bubble, t->tensor, t->context, t->experts, t->data_exposed, t->update,
                            t->overhead, c->est.mfu};
    for (guint k = 0; k < G_N_ELEMENTS(terms); k++)
      csv_number(s, terms[k], k == 2 ? 9 : 6);
    csv_number(s, c->time_s, 9);
    csv_number(s, c->cost_usd, 9);
    g_string_append_printf(s, ",%s,%s\n", c->over_deadline ? "true" : "false", c->over_budget ? "true" : "false");
  }
  TsAtomicFile *f = ts_atomic_file_new(path, error);
  gboolean ok = f != NULL && ts_atomic_file_write(f, s->str, s->len, error);
  if (ok)
    ok = ts_atomic_file_commit(f, error);
  else
    ts_atomic_file_abort(f);
  g_string_free(s, TRUE);
  return ok;
}
