/* Where the wall time goes (docs/outputs.md, "Goodput"): categories that partition [0, end of run], and the
 * cost split the same way.
 *
 * At each instant the phase of highest priority running then owns it: train > infer > eval > checkpoint >
 * restart > stage, download > provision, release > wait > nothing (idle).  Time a training phase owns is split
 * by what the training did: checkpoint writes that stopped the steps (an asynchronous write overlapping the
 * steps is training), restarts after failures, evaluation passes, the kept steps (productive, less their
 * input-bound part, a data stall), and the rest, lost work: steps redone after a failure and the checkpoint or
 * restart a failure cut short.  Everything is counted in engine ticks, so the categories sum to the end time
 * exactly.  Cost: the machine groups' billed intervals integrated over each instant's owner; storage and
 * network cost, which do not follow any one phase, in proportion to time; inside a training in proportion to
 * time too (one cluster billed throughout). */
#include "run/run-private.h"

#include <math.h>
#include <stdlib.h>

static const char *const names[TS_GOODPUT_COUNT] = {
  "productive", "provisioning", "compilation", "data_stall", "checkpoint_save", "checkpoint_restore",
  "lost_work", "evaluation", "idle",
};

const char *
ts_goodput_category_get_name(TsGoodputCategory c)
{
  return c < TS_GOODPUT_COUNT ? names[c] : "?";
}

/* The owner of an instant when a phase of this kind runs, and its rank (higher wins); -1: the phase owns none. */
static int
rank_of(TsPhaseKind k)
{
  switch (k) {
  case TS_PHASE_TRAIN:
    return 9;
  case TS_PHASE_INFER:
    return 8;
  case TS_PHASE_EVAL:
    return 7;
  case TS_PHASE_CHECKPOINT:
    return 6;
  case TS_PHASE_RESTART:
    return 5;
  case TS_PHASE_STAGE:
  case TS_PHASE_DOWNLOAD:
    return 4;
  case TS_PHASE_PROVISION:
  case TS_PHASE_RELEASE:
    return 3;
  case TS_PHASE_WAIT:
    return 2;
  default:
    return -1;
  }
}

static TsGoodputCategory
category_of(TsPhaseKind k)
{
  switch (k) {
  case TS_PHASE_INFER:
    return TS_GOODPUT_PRODUCTIVE;
  case TS_PHASE_EVAL:
    return TS_GOODPUT_EVALUATION;
  case TS_PHASE_CHECKPOINT:
    return TS_GOODPUT_CHECKPOINT_SAVE;
  case TS_PHASE_RESTART:
    return TS_GOODPUT_CHECKPOINT_RESTORE;
  case TS_PHASE_STAGE:
  case TS_PHASE_DOWNLOAD:
    return TS_GOODPUT_DATA_STALL;
  case TS_PHASE_PROVISION:
  case TS_PHASE_RELEASE:
    return TS_GOODPUT_PROVISIONING;
  default:
    return TS_GOODPUT_IDLE;
  }
}

void
run_bill_stop(TsRun *run, TsBillable *b, TsTime now)
{
  if (b->since >= 0 && now > b->since) {
    BilledInterval iv = {b->since, now, b->rate};
    g_array_append_val(run->billed, iv);
  }
  ts_billable_stop(b, now);
  run_energy_note_stop(run);
}

static int
compare_times(const void *a, const void *b)
{
  TsTime x = *(const TsTime *) a, y = *(const TsTime *) b;
  return (x > y) - (x < y);
}

/* The machines' cost over [a, b]: the billed intervals' rates over their overlap with it. */
static double
billed_between(const GArray *billed, TsTime a, TsTime b)
{
  double usd = 0;
  for (guint i = 0; i < billed->len; i++) {
    const BilledInterval *iv = &g_array_index(billed, BilledInterval, i);
    TsTime lo = MAX(a, iv->start), hi = MIN(b, iv->end);
    if (hi > lo)
      usd += iv->rate * ts_time_to_seconds(hi - lo);
  }
  return usd;
}

void
run_goodput(TsRun *run)
{
  TsResults *r = &run->results;
  TsTime end = ts_engine_get_now(run->engine);
  TsTime *ticks = r->goodput.ticks;
  double *usd = r->goodput.usd;
  for (int c = 0; c < TS_GOODPUT_COUNT; c++) {
    ticks[c] = 0;
    usd[c] = 0;
  }
  /* The instants where the owner may change: every phase's start and end, clipped to [0, end]. */
  const GPtrArray *phases = run->phases;
  g_autofree TsTime *cuts = g_new(TsTime, 2 * phases->len + 2);
  guint n = 0;
  cuts[n++] = 0;
  cuts[n++] = end;
  for (guint i = 0; i < phases->len; i++) {
    const TsPhase *p = g_ptr_array_index(phases, i);
    cuts[n++] = CLAMP(p->start, 0, end);
    cuts[n++] = CLAMP(p->end, 0, end);
  }
  qsort(cuts, n, sizeof *cuts, compare_times);
  TsTime train_ticks = 0;
  double train_usd = 0;
  for (guint k = 0; k + 1 < n; k++) {
    TsTime a = cuts[k], b = cuts[k + 1];
    if (b <= a)
      continue;
    int best = -1;
    TsPhaseKind kind = TS_PHASE_WAIT;
    for (guint i = 0; i < phases->len; i++) {
      const TsPhase *p = g_ptr_array_index(phases, i);
      if (p->start <= a && p->end >= b && rank_of(p->kind) > best) {
        best = rank_of(p->kind);
        kind = p->kind;
      }
    }
    double cost = billed_between(run->billed, a, b);
    if (best == rank_of(TS_PHASE_TRAIN)) {
      train_ticks += b - a;
      train_usd += cost;
    } else {
      TsGoodputCategory c = best < 0 ? TS_GOODPUT_IDLE : category_of(kind);
      ticks[c] += b - a;
      usd[c] += cost;
    }
  }
  /* Inside the trainings: what the spans say, the kept steps, and the rest lost to failures. */
  TsTime in_train[TS_GOODPUT_COUNT] = {0};
  in_train[TS_GOODPUT_CHECKPOINT_SAVE] = run->span_ticks[TS_PHASE_CHECKPOINT];
  in_train[TS_GOODPUT_CHECKPOINT_RESTORE] = run->span_ticks[TS_PHASE_RESTART];
  in_train[TS_GOODPUT_EVALUATION] = run->span_ticks[TS_PHASE_EVAL];
  TsTime kept = run->kept_step_ticks;
  /* The input-bound part of a step waits for data: the devices alone would take device_step_s. */
  double stall_share = r->trained && r->step_time_s > 0 && r->device_step_s > 0 && r->device_step_s < r->step_time_s
                         ? 1.0 - r->device_step_s / r->step_time_s
                         : 0;
  in_train[TS_GOODPUT_DATA_STALL] = (TsTime) llround((double) kept * stall_share);
  in_train[TS_GOODPUT_PRODUCTIVE] = kept - in_train[TS_GOODPUT_DATA_STALL];
  TsTime explained = 0;
  for (int c = 0; c < TS_GOODPUT_COUNT; c++)
    explained += in_train[c];
  if (explained > train_ticks) {
    /* Cannot happen with trainings that do not overlap; if they did, the steps give way so the sum holds. */
    TsTime over = explained - train_ticks;
    TsTime cut = MIN(over, in_train[TS_GOODPUT_PRODUCTIVE]);
    in_train[TS_GOODPUT_PRODUCTIVE] -= cut;
    explained -= cut;
  }
  in_train[TS_GOODPUT_LOST_WORK] = train_ticks > explained ? train_ticks - explained : 0;
  for (int c = 0; c < TS_GOODPUT_COUNT; c++) {
    ticks[c] += in_train[c];
    if (train_ticks > 0)
      usd[c] += train_usd * (double) in_train[c] / (double) train_ticks;
  }
  /* Storage and network cost in proportion to time; an unknown cost leaves every category unknown. */
  double spread = r->cost_storage + r->cost_network;
  for (int c = 0; c < TS_GOODPUT_COUNT; c++) {
    if (end > 0)
      usd[c] += spread * (double) ticks[c] / (double) end;
    if (!isfinite(r->cost_total))
      usd[c] = NAN;
    r->goodput.seconds[c] = ts_time_to_seconds(ticks[c]);
  }
}
