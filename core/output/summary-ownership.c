/* summary.json's ownership, commitment and break_even, and their terminal rows (summary-ownership.h).  Every figure
 * is derived here from the results' terms the same way for both, so the two never disagree. */
#include "output/summary-ownership.h"

#include "cost/ownership.h"
#include "units/units.h"

#include <math.h>

#define HOURS_PER_YEAR (TS_OWNED_YEAR_S / 3600.0)

static double
owned_rate(const TsResults *r)
{
  return r->ownership.purchase_usd_per_hour + r->ownership.power_usd_per_hour;
}

static void
write_owned(TsJsonWriter *w, const TsResults *r)
{
  if (!r->ownership.owned) {
    ts_json_null(w, "ownership");
    return;
  }
  double held_h = r->ownership.held_s / 3600.0, years = r->ownership.life_s / TS_OWNED_YEAR_S;
  double devices = r->devices > 0 ? r->devices : 1;
  ts_json_begin_object(w, "ownership");
  ts_json_int(w, "nodes", r->ownership.nodes);
  ts_json_number(w, "price_usd", r->ownership.price_usd);
  ts_json_number(w, "life_years", years);
  ts_json_string(w, "life_source", r->ownership.life_source);
  ts_json_number(w, "utilisation", r->ownership.utilisation);
  ts_json_bool(w, "utilisation_given", r->ownership.utilisation_given);
  ts_json_number(w, "hours_used_per_year", HOURS_PER_YEAR * r->ownership.utilisation);
  ts_json_number(w, "financing_rate_per_year", r->ownership.financing);
  ts_json_number(w, "payment_usd_per_year", r->ownership.payment_per_year_usd);
  ts_json_number(w, "total_paid_usd", r->ownership.payment_per_year_usd * years);
  ts_json_number(w, "power_w", r->ownership.watts);
  ts_json_number(w, "electricity_usd_per_kwh", r->ownership.electricity);
  ts_json_number(w, "purchase_usd_per_hour", r->ownership.purchase_usd_per_hour);
  ts_json_number(w, "power_usd_per_hour", r->ownership.power_usd_per_hour);
  ts_json_number(w, "rate_usd_per_hour", owned_rate(r));
  ts_json_number(w, "rate_usd_per_device_hour", owned_rate(r) / devices);
  ts_json_number(w, "hours_this_run", held_h);
  ts_json_number(w, "purchase_usd_this_run", r->ownership.purchase_usd_per_hour * held_h);
  ts_json_number(w, "power_usd_this_run", r->ownership.power_usd_per_hour * held_h);
  ts_json_end_object(w);
}

static void
write_commitment(TsJsonWriter *w, const TsResults *r)
{
  if (r->commitment.term == NULL) {
    ts_json_null(w, "commitment");
    return;
  }
  double held_h = r->commitment.held_s / 3600.0;
  ts_json_begin_object(w, "commitment");
  ts_json_string(w, "term", r->commitment.term);
  ts_json_number(w, "term_hours", r->commitment.term_hours);
  ts_json_number(w, "rate_usd_per_hour", r->commitment.usd_per_hour);
  ts_json_number(w, "devices", r->commitment.devices);
  ts_json_number(w, "rate_usd_per_device_hour", r->commitment.usd_per_hour / r->commitment.devices);
  ts_json_number(w, "term_cost_usd", r->commitment.usd_per_hour * r->commitment.term_hours);
  ts_json_number(w, "hours_this_run", held_h);
  ts_json_number(w, "usd_this_run", r->commitment.usd_per_hour * held_h);
  ts_json_number(w, "share_of_term", held_h / r->commitment.term_hours);
  ts_json_end_object(w);
}

static void
write_break_even(TsJsonWriter *w, const TsResults *r)
{
  if (!r->break_even.asked) {
    ts_json_null(w, "break_even");
    return;
  }
  gboolean k = r->break_even.known;
  ts_json_begin_object(w, "break_even");
  ts_json_string(w, "against", r->break_even.against);
  ts_json_number_or_null(w, "against_time_s", r->break_even.against != NULL, r->break_even.against_time_s);
  ts_json_number_or_null(w, "against_cost_usd", r->break_even.against != NULL, r->break_even.against_cost_usd);
  ts_json_number_or_null(w, "owned_marginal_usd", k, r->break_even.owned_marginal_usd);
  ts_json_number_or_null(w, "fixed_usd_per_year", k, r->break_even.fixed_usd_per_year);
  ts_json_number_or_null(w, "runs_per_year", k, r->break_even.runs_per_year);
  ts_json_number_or_null(w, "hours_per_year", k, r->break_even.hours_per_year);
  ts_json_number_or_null(w, "utilisation", k, r->break_even.hours_per_year / HOURS_PER_YEAR);
  ts_json_string(w, "why_unknown", k ? NULL : r->break_even.why_unknown);
  ts_json_end_object(w);
}

void
summary_write_ownership(TsJsonWriter *w, const TsResults *r)
{
  write_owned(w, r);
  write_commitment(w, r);
  write_break_even(w, r);
}

static void
row(FILE *out, const char *label, const char *value)
{
  fprintf(out, "  %-22s %s\n", label, value);
}

void
summary_print_ownership(const TsResults *r, FILE *out, const char *bold, const char *reset)
{
  if (r->ownership.owned) {
    fprintf(out, "\n  %sowning%s\n", bold, reset);
    g_autofree char *price = ts_format_usd(r->ownership.price_usd);
    g_autofree char *pay = ts_format_usd(r->ownership.payment_per_year_usd);
    g_autofree char *fin = r->ownership.financing > 0 ? g_strdup_printf(", financed at %.3g %% a year",
                                                                        100.0 * r->ownership.financing)
                                                      : g_strdup("");
    g_autofree char *p = g_strdup_printf("%s up front%s: %s a year over %.3g years (%s)", price, fin, pay,
                                         r->ownership.life_s / TS_OWNED_YEAR_S, r->ownership.life_source);
    row(out, "purchase", p);
    g_autofree char *u = g_strdup_printf("%.3g %% of the life%s: %.0f hours a year", 100.0 * r->ownership.utilisation,
                                         r->ownership.utilisation_given ? "" : " (assumed)",
                                         HOURS_PER_YEAR * r->ownership.utilisation);
    row(out, "utilisation", u);
    g_autofree char *h = g_strdup_printf("%.2f USD purchase + %.2f USD power = %.2f USD/hour (%.3f USD/device-hour)",
                                         r->ownership.purchase_usd_per_hour, r->ownership.power_usd_per_hour,
                                         owned_rate(r), owned_rate(r) / (r->devices > 0 ? r->devices : 1));
    row(out, "per hour used", h);
  }
  if (r->commitment.term != NULL) {
    fprintf(out, "\n  %scommitment%s\n", bold, reset);
    double held_h = r->commitment.held_s / 3600.0;
    g_autofree char *term = ts_format_usd(r->commitment.usd_per_hour * r->commitment.term_hours);
    g_autofree char *t = g_strdup_printf("%s: %.0f hours x %.2f USD/hour = %s owed for the term (%.4g USD/device-hour)",
                                         r->commitment.term, r->commitment.term_hours, r->commitment.usd_per_hour, term,
                                         r->commitment.usd_per_hour / r->commitment.devices);
    row(out, "term", t);
    g_autofree char *used = g_strdup_printf("%.2f hours of it (%.3g %% of the term)", held_h,
                                            100.0 * held_h / r->commitment.term_hours);
    row(out, "this run", used);
  }
  if (r->break_even.asked) {
    if (!r->ownership.owned)
      fprintf(out, "\n  %sowning%s\n", bold, reset);
    if (r->break_even.against != NULL) {
      g_autofree char *c = ts_format_usd(r->break_even.against_cost_usd);
      g_autofree char *t = ts_format_duration(r->break_even.against_time_s);
      g_autofree char *a = g_strdup_printf("%s: %s, %s", r->break_even.against, t, c);
      row(out, "rented instead", a);
    }
    if (r->break_even.known) {
      g_autofree char *b = g_strdup_printf("owning is cheaper from %.1f runs a year (%.0f hours of use, %.3g %% of a year)",
                                           r->break_even.runs_per_year, r->break_even.hours_per_year,
                                           100.0 * r->break_even.hours_per_year / HOURS_PER_YEAR);
      row(out, "break-even", b);
    } else {
      g_autofree char *b = g_strdup_printf("unknown: %s", r->break_even.why_unknown ? r->break_even.why_unknown : "?");
      row(out, "break-even", b);
    }
  }
}
