/* What the report pages share (report-html.c: run; core/sweep/sweep-report.c: sweep; report-compare.c: compare;
 * a section of its own may live in a file of its own): reading their JSON's members, escaping, table rows, the
 * numbers a test checks, and the page's head and style.  Included only from core/output/report-*.c and
 * core/sweep/sweep-report.c (the sweep's page is made from its rows, the layer above). */
#ifndef TS_REPORT_PAGE_H
#define TS_REPORT_PAGE_H

#include <glib.h>
#include "common/ts-json-tree.h"

/* A member of `o` (which may be NULL), or NULL when absent or of another type. */
const TsJsonValue *report_object(const TsJsonValue *o, const char *key);
const TsJsonValue *report_array(const TsJsonValue *o, const char *key);
/* NAN when absent, null or not a number: the pages say "not modelled" or "unknown" for those, as the terminal
 * does. */
double report_number(const TsJsonValue *o, const char *key);
const char *report_string(const TsJsonValue *o, const char *key);
/* -1 absent or null, else 0 or 1. */
int report_bool(const TsJsonValue *o, const char *key);

/* Whether every element of `a` is an object. */
gboolean report_objects_only(const TsJsonValue *a);
/* Element `i` of `a` when it is an object, else NULL. */
const TsJsonValue *report_element(const TsJsonValue *a, guint i);
/* `v` as json-glib 1.6's generator writes it, compactly (the pages showed parameters' values so when they were
 * read with json-glib; kept byte for byte).  Free with g_free. */
char *report_json_text(const TsJsonValue *v);

/* Append `s` escaped for HTML text and attributes (NULL as nothing). */
void report_text(GString *h, const char *s);
/* <tr><th scope="row">label</th><td>value</td></tr>, value escaped; numeric values right-aligned. */
void report_table_row(GString *h, const char *label, const char *value, gboolean numeric);
/* <strong id="ID" data-value="V">formatted</strong>: a formatted number that carries its exact value, so the
 * browser test can check the rendered text against the JSON it came from.  Takes `formatted`. */
void report_value_span(GString *h, const char *id, double v, char *formatted);
/* The same in another element: <TAG id="ID" data-value="V">formatted</TAG> (no id when NULL). */
void report_value_tag(GString *h, const char *tag, const char *id, double v, char *formatted);
/* The same for a table cell: <td class="num" id="ID" data-value="V">formatted</td> (no id when NULL). */
void report_value_cell(GString *h, const char *id, double v, char *formatted);

/* <!DOCTYPE html> ... <body><header><h1>heading: name</h1><p>note</p></header><main>; the style is the
 * pages' one (print on A4, Okabe and Ito's palette). */
void report_page_begin(GString *h, const char *heading, const char *name, const char *version, const char *source);
void report_page_end(GString *h);

/* Sections of the run's page that live in files of their own, each from summary.json's root (nothing when the
 * run has none of what they show). */
void report_section_ownership(GString *h, const TsJsonValue *root); /* report-ownership.c */
void report_section_energy(GString *h, const TsJsonValue *root);    /* report-energy.c */

/* Parse `json` (within TS_JSON_MAX_SWEEP_BYTES) into `*doc` (free it with ts_json_doc_free, also on failure);
 * its root object, or NULL and TS_ERROR_IO naming `what` when it is no JSON object. */
const TsJsonValue *report_parse(TsJsonDoc **doc, const char *json, gsize len, const char *what, GError **error);

#endif
