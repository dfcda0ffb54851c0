/* The layouts plan searches, family by family.  A family is a hardware choice and its model-parallel shape
 * (tensor x pipeline x context, and expert ranks): the shapes that split the devices and the global batch as
 * ts_run_train accepts them.  Within a family: interleaving, sequence parallelism, ZeRO stage, recomputation
 * and the micro-batch (whence gradient accumulation: the per-replica batch / micro-batch).  The global batch and
 * the optimizer are the scenario's, and so is the precision unless the script allows others (plan.precisions):
 * they change what is trained, not how it is laid out.
 *
 * Memory prunes before timing: a layout's device memory grows with its micro-batch, so the first micro-batch
 * that does not fit ends that row, and no larger one is estimated. */
#include "plan/plan-private.h"

#include "common/ts-error.h"

#include <math.h>

/* Bounds of the space, from practice: tensor parallelism past 64 ranks and context parallelism past 16 are not
 * run (Megatron-LM, MaxText), nor interleaving past 8 stages per device; a micro-batch past 64 samples gains
 * no arithmetic intensity on these models. */
#define MAX_TP 64
#define MAX_CP 16
#define MAX_VP 8
#define MAX_MICRO 64

void
plan_space_families(const TsPlanProblem *p, guint hw, GArray *families)
{
  const TsPlanHardware *h = g_ptr_array_index(p->hardware, hw);
  const TsMachineGroup *a = &h->cluster->accel;
  const TsModel *m = p->spec.model;
  guint n = a->devices, per_slice = a->slices > 1 ? a->devices / a->slices : a->devices;
  gboolean transformer = m->workload == TS_WORKLOAD_TRANSFORMER && m->layers > 0 && m->width > 0;
  guint max_tp = transformer ? MIN(MAX_TP, n) : 1;
  guint max_cp = transformer && m->seq > 0 ? MIN(MAX_CP, n) : 1;
  guint max_pp = m->layers > 1 ? MIN(m->layers, n) : 1;
  for (guint tp = 1; tp <= max_tp; tp++) {
    if (n % tp != 0 || (m->heads > 0 && m->heads % tp != 0) || m->width % tp != 0)
      continue;
    for (guint cp = 1; cp <= max_cp; cp *= 2) {
      if ((n / tp) % cp != 0 || (m->seq > 0 && m->seq % (2 * cp) != 0 && cp > 1))
        continue;
      for (guint pp = 1; pp <= max_pp; pp++) {
        guint mp = tp * cp * pp;
        if (n % mp != 0 || per_slice % mp != 0)
          continue;
        guint dp = n / mp;
        if (p->spec.batch % dp != 0)
          continue;
        guint max_ep = m->experts > 1 ? m->experts : 1;
        for (guint ep = 1; ep <= max_ep; ep++) {
          if (ep > 1 && (m->experts % ep != 0 || dp % ep != 0 || !(m->expert_params > 0)))
            continue;
          PlanFamily f = {hw, tp, pp, cp, ep, dp};
          g_array_append_val(families, f);
        }
      }
    }
  }
}

/* The micro-batches of a family: the divisors of the per-replica batch, smallest first. */
static guint
micro_batches(guint64 per_replica, guint *out, guint max)
{
  guint k = 0;
  for (guint64 d = 1; d <= MIN(per_replica, (guint64) MAX_MICRO) && k < max; d++)
    if (per_replica % d == 0)
      out[k++] = (guint) d;
  return k;
}

void
plan_space_evaluate(TsPlanProblem *p, const PlanFamily *f, const TsPlanOptions *o, PlanFamilyResult *res)
{
  TsRun *run = plan_problem_take_run(p, f->hw, &res->error);
  if (run == NULL)
    return;
  const TsModel *m = p->spec.model;
  guint64 per_replica = p->spec.batch / f->dp;
  guint micros[MAX_MICRO];
  guint n_micro_sizes = micro_batches(per_replica, micros, MAX_MICRO);
  guint max_vp = f->pp > 1 ? MAX_VP : 1;
  res->least_memory = INFINITY;
  const TsMachineGroup *a = &((const TsPlanHardware *) g_ptr_array_index(p->hardware, f->hw))->cluster->accel;
  for (guint pi = 0; pi < p->precisions->len; pi++) {
  TsPrecision precision = g_array_index(p->precisions, TsPrecision, pi);
  /* A precision the device has no arithmetic for is no choice on it (the scenario's own is always tried). */
  if (pi > 0 && !(a->record->spec.peak_dense[precision] > 0))
    continue;
  /* Sequence parallelism only means something with tensor parallelism, and expert parallelism with tensor
   * parallelism needs it (as Megatron-Core does). */
  for (int sp = f->tp > 1 && f->ep > 1 ? 1 : 0; sp <= (f->tp > 1 ? 1 : 0); sp++)
    for (guint zero = 0; zero <= (f->dp > 1 ? 3u : 0u); zero++)
      /* ZeRO over all the data-parallel ranks (group 0), or hybrid: within groups of 2, 4, ... of them,
       * replicated across the groups (MiCS, PyTorch HSDP). */
      for (guint group = 0; group < f->dp; group = group == 0 ? (zero > 0 ? 2 : f->dp) : group * 2)
        for (int rc = TS_PLAN_RECOMPUTE_NONE; rc <= TS_PLAN_RECOMPUTE_FULL; rc++)
        for (guint mi = 0; mi < n_micro_sizes; mi++) {
          if (group > 0 && f->dp % group != 0)
            break;
          guint micro = micros[mi];
          guint n_micro = (guint) (per_replica / micro);
          TsPlanLayout l = {.hw = f->hw, .tp = f->tp, .pp = f->pp, .vp = 1, .cp = f->cp, .ep = f->ep, .dp = f->dp,
                            .zero = zero, .micro = micro, .n_micro = n_micro, .sp = sp, .shard_group = group,
                            .recompute = (TsPlanRecompute) rc, .precision = precision};
          gboolean oom = FALSE, same_as_none = FALSE;
          for (guint vp = 1; vp <= max_vp && !oom && !same_as_none; vp++) {
            /* Each virtual stage holds at least one layer; the first and last may hold only the embedding and
             * the output head (Llama 3's layout, arXiv 2407.21783 sec. 3.3.2); Megatron's interleaved schedule
             * needs the micro-batches to come in whole rounds of the pipeline. */
            if (vp > 1 && ((double) f->pp * vp > m->layers + 2.0 || n_micro % f->pp != 0))
              continue;
            l.vp = vp;
            TsTrainSpec s = p->spec;
            plan_layout_apply(&l, &s);
            TsPlanCandidate c = {0};
            c.layout = l;
            GError *err = NULL;
            if (!ts_train_estimate(run, &s, &c.est, &err)) {
              if (g_error_matches(err, TS_ERROR, TS_ERROR_SCENARIO)) { /* not a valid split: skipped */
                res->invalid++;
                g_clear_error(&err);
                continue;
              }
              res->error = err;
              plan_problem_give_run(p, f->hw, run);
              return;
            }
            if (!c.est.fits) {
              /* Memory does not depend on interleaving and grows with the micro-batch: the rest of this row
               * and every larger micro-batch are pruned without being estimated. */
              res->least_memory = MIN(res->least_memory, c.est.device_memory_bytes);
              res->pruned++;
              oom = TRUE;
              break;
            }
            /* "auto" recomputes nothing where nothing needs recomputing: that layout is the "none" one. */
            if (rc == TS_PLAN_RECOMPUTE_AUTO && c.est.recompute == 0) {
              same_as_none = TRUE;
              break;
            }
            plan_candidate_finish(p, o, &c);
            g_array_append_val(res->candidates, c);
          }
          if (oom) { /* every larger micro-batch is out of memory too */
            res->pruned += n_micro_sizes - mi - 1;
            break;
          }
        }
  }
  plan_problem_give_run(p, f->hw, run);
}

void
plan_candidate_finish(const TsPlanProblem *p, const TsPlanOptions *o, TsPlanCandidate *c)
{
  const TsPlanHardware *h = g_ptr_array_index(p->hardware, c->layout.hw);
  c->time_s = h->fixed_s + (double) p->steps * c->est.step_s;
  c->cost_usd = h->rate_usd_per_s * c->time_s;
  c->over_deadline = !isnan(o->deadline_s) && c->time_s > o->deadline_s;
  c->over_budget = !isnan(o->budget_usd) && !(c->cost_usd <= o->budget_usd);
}
