/* Owning against renting among compared alternatives (compare.h): every feasible alternative on owned machines
 * against every feasible rented one, with the run layer's break-even (run/ownership.c), so a compare of the two
 * says what the owned scenario's own break_even says when it names the same alternative. */
#include "sweep/compare.h"

#include <math.h>

GArray *
ts_compare_break_evens(TsCompareAlt *alts, guint n)
{
  GArray *out = g_array_new(FALSE, TRUE, sizeof(TsCompareBreakEven));
  for (guint o = 0; o < n; o++) {
    const TsResults *ro = ts_compare_alt_results(&alts[o]);
    if (ro == NULL || !ro->feasible || !ro->ownership.owned)
      continue;
    for (guint c = 0; c < n; c++) {
      const TsResults *rc = ts_compare_alt_results(&alts[c]);
      if (c == o || rc == NULL || !rc->feasible || rc->ownership.owned || !isfinite(rc->cost_total))
        continue;
      TsCompareBreakEven b = {o, c, FALSE, NAN, NAN, NAN};
      b.known = ts_results_break_even(ro, rc->cost_total, &b.owned_marginal_usd, &b.runs_per_year, &b.hours_per_year);
      g_array_append_val(out, b);
    }
  }
  return out;
}

void
ts_compare_break_evens_to_json(TsJsonWriter *w, TsCompareAlt *alts, const GArray *b)
{
  ts_json_begin_array(w, "break_even");
  for (guint i = 0; i < b->len; i++) {
    const TsCompareBreakEven *e = &g_array_index(b, TsCompareBreakEven, i);
    ts_json_begin_object(w, NULL);
    ts_json_string(w, "owned", alts[e->owned].name);
    ts_json_string(w, "against", alts[e->rented].name);
    if (e->known) {
      ts_json_number(w, "runs_per_year", e->runs_per_year);
      ts_json_number(w, "hours_per_year", e->hours_per_year);
    } else {
      ts_json_null(w, "runs_per_year");
      ts_json_null(w, "hours_per_year");
    }
    ts_json_end_object(w);
  }
  ts_json_end_array(w);
}

char *
ts_compare_break_even_text(TsCompareAlt *alts, const TsCompareBreakEven *e)
{
  if (!e->known)
    return g_strdup_printf("%s never costs less than renting %s: renting costs no more than its power and other "
                           "costs alone", alts[e->owned].name, alts[e->rented].name);
  return g_strdup_printf("owning %s is cheaper than renting %s from %.1f runs a year (%.0f hours of use)",
                         alts[e->owned].name, alts[e->rented].name, e->runs_per_year, e->hours_per_year);
}
