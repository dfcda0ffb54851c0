/* What a data centre adds to the machines' own draw, and what its electricity emits: the power usage
 * effectiveness (PUE) each cloud provider publishes for its fleet, and the grid's carbon intensity per cloud
 * region.  Every figure carries its source and date (docs/model.md, "Energy and carbon"); a provider or region
 * not listed is unknown (NULL), never a default. */
#ifndef TS_DATACENTRES_H
#define TS_DATACENTRES_H

#include <glib.h>

typedef struct {
  const char *key;    /* "GCP", "us-central1" */
  const char *provider; /* the provider the region belongs to; for a provider's own entry, itself */
  double value;       /* PUE (a ratio), or grams of CO2e per kWh */
  const char *title;  /* the source */
  const char *url;
  const char *date;   /* when the source was published, or the period its figure covers */
  const char *stated; /* the source's own words */
} TsEnergyFact;

/* The fleet PUE a provider publishes ("GCP", "AWS", "Azure"); NULL when it publishes none we know. */
const TsEnergyFact *ts_datacentre_find_pue(const char *provider);
/* The grid's average carbon intensity at a cloud region ("us-central1"), gCO2e/kWh; NULL unknown. */
const TsEnergyFact *ts_datacentre_find_grid(const char *region);

#endif
