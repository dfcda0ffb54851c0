/* libFuzzer target: reading a sweep.json back (ts_sweep_result_load_data, what `trainsim merge` does with
 * each shard), with the JSON size and nesting limits of common/ts-json.c in front, then merging it.
 *
 * Input: a sweep.json's bytes.  A load either fails with a TS_ERROR message naming the file, or returns a
 * result that writes back to JSON which reads again to the same bytes (what merge relies on).  A shard
 * that loads is also merged alone, which must fail (the other shards are missing) unless it is 1/1. */
#include "common/ts-error.h"
#include "sweep/sweep.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > 256 * 1024)
    return 0;
  GError *error = NULL;
  TsSweepResult *res = ts_sweep_result_load_data((const char *) data, size, "fuzz.json", &error);
  if (res == NULL) {
    if (error == NULL || error->domain != TS_ERROR || strstr(error->message, "fuzz.json") == NULL)
      abort();
    g_error_free(error);
    return 0;
  }
  if (error != NULL)
    abort();
  char *json = ts_sweep_result_to_json(res);
  TsSweepResult *again = ts_sweep_result_load_data(json, strlen(json), "again.json", &error);
  if (again == NULL) {
    fprintf(stderr, "fuzz-sweep: written JSON does not read back: %s\n%s\n", error->message, json);
    abort();
  }
  char *json2 = ts_sweep_result_to_json(again);
  if (strcmp(json, json2) != 0) {
    fprintf(stderr, "fuzz-sweep: not a fixed point:\n%s\n---\n%s\n", json, json2);
    abort();
  }
  char *csv = ts_sweep_result_to_csv(again);
  g_free(csv);
  GPtrArray *shards = g_ptr_array_new();
  g_ptr_array_add(shards, res);
  TsSweepResult *merged = ts_sweep_result_merge(shards, &error);
  if (merged == NULL) {
    if (error == NULL || error->domain != TS_ERROR)
      abort();
    g_clear_error(&error);
  } else {
    ts_sweep_result_free(merged);
  }
  g_ptr_array_unref(shards);
  g_free(json);
  g_free(json2);
  ts_sweep_result_free(again);
  ts_sweep_result_free(res);
  return 0;
}
