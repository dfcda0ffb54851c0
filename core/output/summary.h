/* The run's summary: JSON (the design's Outputs keys, null for what is not modelled) and the terminal
 * table in human units. */
#ifndef TS_SUMMARY_H
#define TS_SUMMARY_H

#include <glib.h>
#include <stdio.h>

#include "run/run.h"

#define TS_SUMMARY_SCHEMA_VERSION 1

char *ts_summary_to_json(TsRun *run);
/* The same with a "replicas" object when `replicas` is not NULL. */
char *ts_summary_to_json_full(TsRun *run, const TsReplicaStats *replicas);
void ts_summary_print(TsRun *run, FILE *out, gboolean color);
/* The same; with a replica set the headline gives the range: "1 h 06 min - 1 h 33 min (P10-P90)". */
void ts_summary_print_full(TsRun *run, const TsReplicaStats *replicas, FILE *out, gboolean color);
/* A quantity of kWh or kg in the digits a reader needs: whole units from 100 up, three figures below. */
char *ts_summary_format_amount(double v);
/* The energy row: "3470 kWh (PUE 1.09), 1432 kg CO2e at 412.72 g/kWh", or what is unknown. */
char *ts_summary_format_energy(const TsResults *r);
void ts_summary_print_replicas(const TsReplicaStats *replicas, FILE *out);

#endif
