/* report.html's "Energy and carbon" section (the run's page, output/report-html.c). */
#include "output/report-page.h"

#include "output/summary.h"
#include "units/units.h"

#include <math.h>

/* Energy and carbon: summary.json energy, the figures it rests on with their sources and dates. */
void
report_section_energy(GString *h, const TsJsonValue *root)
{
  const TsJsonValue *e = report_object(root, "energy");
  if (e == NULL)
    return;
  double kwh = report_number(e, "kwh"), co2 = report_number(e, "co2_kg"), it = report_number(e, "it_kwh");
  g_string_append(h, "<section id=\"energy\"><h2>Energy and carbon</h2>\n<p>");
  if (isfinite(kwh)) {
    g_autofree char *k = ts_summary_format_amount(kwh);
    g_autofree char *m = ts_summary_format_amount(it);
    report_value_span(h, "energy-kwh", kwh, g_strdup_printf("%s kWh", k));
    g_string_append_printf(h, " at the data centre (the machines' %s kWh x PUE %g), ", m, report_number(e, "pue"));
    if (isfinite(co2)) {
      g_autofree char *c = ts_summary_format_amount(co2);
      report_value_span(h, "energy-co2", co2, g_strdup_printf("%s kg CO2e", c));
      g_string_append_printf(h, " at %g g/kWh.", report_number(e, "grid_g_per_kwh"));
    } else {
      g_string_append(h, "CO2e unknown: no grid intensity for this region (see the diagnostics).");
    }
  } else if (isfinite(it)) {
    g_autofree char *m = ts_summary_format_amount(it);
    g_string_append_printf(h, "The machines drew %s kWh; the data centre's PUE, and so the facility's energy and "
                              "CO2e, are unknown (see the diagnostics).", m);
  } else {
    g_string_append(h, "Energy unknown: the catalog gives no sourced power for this machine (see the diagnostics).");
  }
  g_string_append(h, "</p>\n");
  if (report_string(e, "scope") != NULL) {
    g_string_append(h, "<p class=\"muted\">Counted: ");
    report_text(h, report_string(e, "scope"));
    g_string_append(h, ".</p>\n");
  }
  const TsJsonValue *sources = report_array(e, "sources");
  guint n = sources ? sources->len : 0;
  if (n > 0) {
    g_string_append(h, "<table id=\"energy-sources\"><caption>The figures and their sources</caption>\n<tr><th "
                       "scope=\"col\">figure</th><th scope=\"col\">value</th><th scope=\"col\">source</th><th "
                       "scope=\"col\">date</th></tr>\n");
    for (guint i = 0; i < n; i++) {
      const TsJsonValue *s = report_element(sources, i);
      const char *url = report_string(s, "url"), *date = report_string(s, "date");
      g_autofree char *src = url ? g_strdup_printf("%s (%s)", report_string(s, "source"), url)
                                 : g_strdup(report_string(s, "source"));
      const char *cols[] = {report_string(s, "what"), report_string(s, "value"), src, date ? date : ""};
      g_string_append(h, "<tr>");
      for (gsize k = 0; k < G_N_ELEMENTS(cols); k++) {
        g_string_append(h, k == 0 ? "<th scope=\"row\">" : "<td>");
        report_text(h, cols[k]);
        g_string_append(h, k == 0 ? "</th>" : "</td>");
      }
      g_string_append(h, "</tr>\n");
    }
    g_string_append(h, "</table>\n");
  }
  g_string_append(h, "</section>\n");
}
