/* What the files of a sweep share (sweep-pareto.c ranks the rows; sweep-write.c charts them in the same
 * order).  Included only from core/sweep/. */
#ifndef TS_SWEEP_PRIVATE_H
#define TS_SWEEP_PRIVATE_H

#include <glib.h>

/* Orders TsSweepRow pointers by time, then cost, then index; an unknown time or cost last. */
int sweep_cmp_rows_by_time(gconstpointer pa, gconstpointer pb);
/* "1000 USD": a deadline's or budget's limit as written in the recommendation and the chart. */
char *sweep_format_limit_usd(double usd);

#endif
