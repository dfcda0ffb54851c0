/* The summary's part for several jobs on one cluster (run/jobs.h): summary.json's cluster figures and jobs[],
 * and the terminal summary's job list.  Nothing is written for a scenario with one run(). */
#ifndef TS_SUMMARY_JOBS_H
#define TS_SUMMARY_JOBS_H

#include <stdio.h>

#include "output/json-writer.h"
#include "run/run.h"

/* Inside summary.json's "cluster" object: the scheduler, utilisation, idle billed capacity, busy devices over time. */
void summary_write_cluster_jobs(TsJsonWriter *w, TsRun *run);
/* "jobs": [...] at the top level. */
void summary_write_jobs(TsJsonWriter *w, TsRun *run);
void summary_print_jobs(TsRun *run, FILE *out, const char *bold, const char *reset);

#endif
