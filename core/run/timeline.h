/* What a run reports as it goes: samples of every resource and of the dollars spent, and spans of what
 * happened on which track.  Outputs subscribe with a sink and stream them to disk, so nothing large is
 * built in memory. */
#ifndef TS_TIMELINE_H
#define TS_TIMELINE_H

#include <glib.h>

#include "engine/engine.h"

typedef struct {
  TsTime time;
  const char *phase;    /* the phase running then ("idle" between phases); borrowed */
  double device_bytes;  /* device memory in use, per device */
  double host_bytes;    /* host RAM in use, per host */
  double storage_bytes; /* dataset + checkpoints on the run's storage (disk or bucket) */
  double usd_compute, usd_host, usd_storage, usd_network; /* cumulative */
  double kwh;           /* cumulative energy at the facility (docs/model.md, "Energy and carbon"); NaN unknown */
} TsSample;

/* A span is reported whole when it ends (complete), or in two halves when other spans nest inside it (the
 * train phase holds its steps, evaluations and restarts): its beginning as it begins, its end as it ends, so
 * a reader sees a parent before its children. */
typedef enum { TS_SPAN_COMPLETE, TS_SPAN_BEGIN, TS_SPAN_END } TsSpanEdge;

typedef struct {
  const char *track; /* "accelerators", "network", "storage", "host" */
  const char *name;  /* "train", "download imagenet_1k", "checkpoint 3", "steps 0-3129" */
  const char *kind;  /* phase kind: provision, download, stage, train, eval, checkpoint, restart, release, ... */
  TsTime start;
  TsTime end;        /* TS_SPAN_BEGIN: = start */
  TsSpanEdge edge;
} TsSpan;

typedef struct {
  void *data;
  /* Either may be NULL.  FALSE (with error set) stops the run: an output that cannot be written. */
  gboolean (*sample)(void *data, const TsSample *sample, GError **error);
  gboolean (*span)(void *data, const TsSpan *span, GError **error);
} TsSink;

#endif
