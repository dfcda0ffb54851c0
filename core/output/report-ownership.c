/* report.html's "Owning or renting" section (the run's page, output/report-html.c). */
#include "output/report-page.h"

#include "units/units.h"

#include <math.h>

/* Owning or committing (summary.json ownership, commitment, break_even): the terms, what an hour costs, the
 * whole term, and the break-even against the rented alternative; nothing when none applies. */
void
report_section_ownership(GString *h, const TsJsonValue *root)
{
  const TsJsonValue *o = report_object(root, "ownership"), *c = report_object(root, "commitment");
  const TsJsonValue *b = report_object(root, "break_even");
  if (o == NULL && c == NULL && b == NULL)
    return;
  g_string_append(h, "<section id=\"ownership\"><h2>Owning or renting</h2>\n<table>\n");
  if (o != NULL) {
    g_autofree char *price = ts_format_usd(report_number(o, "price_usd"));
    g_autofree char *pay = ts_format_usd(report_number(o, "payment_usd_per_year"));
    g_autofree char *p = g_strdup_printf("%s up front, %s a year over %.3g years (%s), financing %.3g %% a year",
                                         price, pay, report_number(o, "life_years"),
                                         report_string(o, "life_source"),
                                         100.0 * report_number(o, "financing_rate_per_year"));
    report_table_row(h, "purchase", p, FALSE);
    g_autofree char *u = g_strdup_printf("%.3g %% of the life, %.0f hours a year",
                                         100.0 * report_number(o, "utilisation"),
                                         report_number(o, "hours_used_per_year"));
    report_table_row(h, "utilisation", u, FALSE);
    g_autofree char *r = g_strdup_printf("%.2f USD purchase + %.2f USD power = %.2f USD/hour",
                                         report_number(o, "purchase_usd_per_hour"),
                                         report_number(o, "power_usd_per_hour"), report_number(o, "rate_usd_per_hour"));
    report_table_row(h, "per hour used", r, FALSE);
  }
  if (c != NULL) {
    g_autofree char *term = ts_format_usd(report_number(c, "term_cost_usd"));
    g_autofree char *t = g_strdup_printf("%s: %s for %.0f hours (%.4g USD/device-hour); this run %.2f hours of it",
                                         report_string(c, "term"), term, report_number(c, "term_hours"),
                                         report_number(c, "rate_usd_per_device_hour"),
                                         report_number(c, "hours_this_run"));
    report_table_row(h, "commitment", t, FALSE);
  }
  if (b != NULL) {
    if (report_string(b, "against") != NULL) {
      g_autofree char *cost = ts_format_usd(report_number(b, "against_cost_usd"));
      g_autofree char *dur = ts_format_duration(report_number(b, "against_time_s"));
      g_autofree char *a = g_strdup_printf("%s: %s, %s", report_string(b, "against"), dur, cost);
      report_table_row(h, "rented instead", a, FALSE);
    }
    g_string_append(h, "<tr><th scope=\"row\">break-even</th><td>");
    if (isfinite(report_number(b, "runs_per_year"))) {
      g_string_append(h, "owning is cheaper from ");
      report_value_span(h, "break-even-runs", report_number(b, "runs_per_year"),
                 g_strdup_printf("%.1f runs a year", report_number(b, "runs_per_year")));
      g_string_append(h, " (");
      report_value_span(h, "break-even-hours", report_number(b, "hours_per_year"),
                 g_strdup_printf("%.0f hours of use", report_number(b, "hours_per_year")));
      g_string_append(h, ")");
    } else {
      g_string_append(h, "unknown: ");
      report_text(h, report_string(b, "why_unknown"));
    }
    g_string_append(h, "</td></tr>\n");
  }
  g_string_append(h, "</table>\n</section>\n");
}
