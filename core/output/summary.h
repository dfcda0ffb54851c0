/* The run's summary: JSON (the design's Outputs keys, null for what is not modelled) and the terminal
 * table in human units. */
#ifndef TS_SUMMARY_H
#define TS_SUMMARY_H

#include <glib.h>
#include <stdio.h>

#include "run/run.h"

#define TS_SUMMARY_SCHEMA_VERSION 1

char *ts_summary_to_json(TsRun *run);
void ts_summary_print(TsRun *run, FILE *out, gboolean color);

#endif
