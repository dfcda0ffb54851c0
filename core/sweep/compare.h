/* Comparing alternatives (`trainsim compare`): runs side by side, the metrics they are compared on, the largest
 * differences from the first (the baseline) in words, and the files (compare.json, compare.csv, the overlaid
 * chart).  The CLI runs each scenario through the scenario layer and prints the table; the analysis is here
 * (docs/outputs.md, "trainsim compare"). */
#ifndef TS_COMPARE_H
#define TS_COMPARE_H

#include <glib.h>

#include "output/json-writer.h"
#include "output/series.h"
#include "run/run.h"

typedef struct {
  char *path;
  char *name;       /* base name and its own --set values, made unique */
  char *label;      /* base name and its own --set values, before it was made unique */
  GPtrArray *sets;  /* "name=value": the --set given before any scenario, then this one's own; NULL-terminated */
  TsRun *run;       /* NULL on a scenario error */
  TsSeries *series;
  char *error;
  gboolean infeasible;
  TsReplicaStats rep; /* with --replicas N (rep.replicas > 1): P10/P50/P90 over its seeds */
  /* ts_compare_judge: against --deadline and --budget, judged as a sweep judges its variants */
  gboolean meets_deadline, meets_budget, recommended;
} TsCompareAlt;

/* The limits alternatives are judged against (NAN: none) and, with replicas > 1, the percentile (50 or 90)
 * of their seeds' time and cost that is judged. */
typedef struct {
  double deadline_s;
  double budget_usd;
  guint replicas;
  guint quantile;
  char *recommendation; /* set by ts_compare_judge: the sentence naming the alternative to choose; NULL: no limits */
} TsCompareLimits;

typedef struct {
  guint alt;
  const char *metric; /* JSON path: "cost_usd.total" */
  double base, value;
  double score;       /* |ln(value / base)|, or +inf for a change of feasibility */
  char *text;
} TsCompareDifference;

typedef enum { TS_COMPARE_TIME, TS_COMPARE_USD, TS_COMPARE_BYTES } TsCompareKind;

typedef struct {
  const char *metric;
  const char *label; /* "device memory" */
  TsCompareKind kind;
  gsize offset;      /* into TsResults (double) */
} TsCompareMetric;

#define TS_COMPARE_METRIC_COUNT 9
extern const TsCompareMetric ts_compare_metrics[TS_COMPARE_METRIC_COUNT];

void ts_compare_alt_clear(TsCompareAlt *alt);
const TsResults *ts_compare_alt_results(const TsCompareAlt *alt); /* NULL on a scenario error */
/* The metric's value, NAN when the run does not model it. */
double ts_compare_metric_value(const TsResults *results, const TsCompareMetric *metric);
char *ts_compare_format_metric(TsCompareKind kind, double value); /* "not modelled" for NAN */
/* The largest differences from alts[0] (TsCompareDifference): changes of feasibility, then the largest ratios. */
GArray *ts_compare_differences(TsCompareAlt *alts, guint n);
/* Judge each alternative against the limits with the sweep's own rule (ts_sweep_result_finish): an
 * alternative meets a deadline when it is feasible and its time (its own seed's, or with replicas the
 * quantile of its seeds') is within it, a budget likewise with its cost; the one to choose is the cheapest
 * that meets both (the fastest, for a budget alone).  Sets each alternative's meets_* and recommended and
 * limits->recommendation. */
void ts_compare_judge(TsCompareAlt *alts, guint n, TsCompareLimits *limits);
/* Owning against renting (compare-break-even.c): each feasible alternative on owned machines against each feasible
 * rented one with a known cost, in the order of the alternatives. */
typedef struct {
  guint owned, rented; /* alternatives */
  gboolean known;      /* FALSE: renting is never dearer */
  double owned_marginal_usd, runs_per_year, hours_per_year;
} TsCompareBreakEven;
GArray *ts_compare_break_evens(TsCompareAlt *alts, guint n);
/* "break_even": [{owned, against, runs_per_year, hours_per_year}] */
void ts_compare_break_evens_to_json(TsJsonWriter *w, TsCompareAlt *alts, const GArray *break_evens);
char *ts_compare_break_even_text(TsCompareAlt *alts, const TsCompareBreakEven *e); /* one sentence */
char *ts_compare_to_json(TsCompareAlt *alts, guint n, GArray *differences, guint64 seed, char **sets,
                         const TsCompareLimits *limits);
/* compare.csv, compare.png, compare.svg, report.html and compare.json (last) into DIR, all or none. */
/* Those files, in the order written, NULL-terminated. */
extern const char *const ts_compare_file_names[];
gboolean ts_compare_write_outputs(TsCompareAlt *alts, guint n, const char *json, const char *dir, GError **error);

#endif
