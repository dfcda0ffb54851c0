/* The summary's part for machines bought or committed to (run/ownership.c): summary.json's ownership, commitment and
 * break_even, and the terminal summary's rows for them (docs/outputs.md, "Owning, committing and the break-even"). */
#ifndef TS_SUMMARY_OWNERSHIP_H
#define TS_SUMMARY_OWNERSHIP_H

#include <stdio.h>

#include "output/json-writer.h"
#include "run/run.h"

/* "ownership", "commitment" and "break_even" at the top level; each null when it does not apply. */
void summary_write_ownership(TsJsonWriter *w, const TsResults *r);
void summary_print_ownership(const TsResults *r, FILE *out, const char *bold, const char *reset);

#endif
