/* /abi/...: the layout of the public plugin header (core/include/trainsim/plugin.h) pinned to numbers, as
 * GStreamer's tests/check/libs/abi.c does, so that an accidental ABI break fails CI.
 *
 * Every struct that crosses the plugin boundary has its size, and every one of its fields its offset and
 * size, written down here as literal numbers for x86_64 (LP64).  The enum values that cross the boundary
 * as int32_t, the ABI version and the entry symbol are pinned too.  The listed fields must tile each
 * struct with no hole, so a field added without updating this table fails as well.
 *
 * When this test fails: if the change was meant (a field appended from a reserved slot, with the minor
 * version bumped, as docs/plugin-abi.md says), update the numbers here in the same commit; if it was not,
 * the change broke every plugin built against the old header. */
#include <glib.h>
#include <stddef.h>
#include <string.h>

#include "trainsim/plugin.h"

typedef struct {
  const char *name;
  size_t size;     /* as compiled */
  size_t expected; /* pinned */
} StructSize;

typedef struct {
  const char *type;
  const char *field;
  size_t offset, size;                   /* as compiled */
  size_t expected_offset, expected_size; /* pinned */
} FieldLayout;

#define FIELD(type, field, off, sz)                                                                     \
  {#type, #field, offsetof(type, field), sizeof(((type *) 0)->field), off, sz}

static const StructSize struct_sizes[] = {
  {"TsDeviceSpec", sizeof(TsDeviceSpec), 376},
  {"TsWork", sizeof(TsWork), 88},
  {"TsCollective", sizeof(TsCollective), 88},
  {"TsInputWork", sizeof(TsInputWork), 64},
  {"TsHostApi", sizeof(TsHostApi), 88},
  {"TsOperation", sizeof(TsOperation), 160},
  {"TsPluginDescriptor", sizeof(TsPluginDescriptor), 216},
  {"TsStackConstants", sizeof(TsStackConstants), 88},
};

static const FieldLayout fields[] = {
  FIELD(TsDeviceSpec, size, 0, 4),
  FIELD(TsDeviceSpec, reserved0, 4, 4),
  FIELD(TsDeviceSpec, sku, 8, 8),
  FIELD(TsDeviceSpec, generation, 16, 8),
  FIELD(TsDeviceSpec, name, 24, 8),
  FIELD(TsDeviceSpec, peak_dense, 32, 48),
  FIELD(TsDeviceSpec, peak_sparse, 80, 48),
  FIELD(TsDeviceSpec, memory_bytes, 128, 8),
  FIELD(TsDeviceSpec, memory_bandwidth, 136, 8),
  FIELD(TsDeviceSpec, runtime_reserved_bytes, 144, 8),
  FIELD(TsDeviceSpec, cores, 152, 8),
  FIELD(TsDeviceSpec, link_bandwidth, 160, 8),
  FIELD(TsDeviceSpec, links, 168, 8),
  FIELD(TsDeviceSpec, link_latency_s, 176, 8),
  FIELD(TsDeviceSpec, network_bandwidth, 184, 8),
  FIELD(TsDeviceSpec, network_latency_s, 192, 8),
  FIELD(TsDeviceSpec, input_images_per_core_s, 200, 8),
  FIELD(TsDeviceSpec, input_tokens_per_core_s, 208, 8),
  FIELD(TsDeviceSpec, efficiency, 216, 16),
  FIELD(TsDeviceSpec, half_batch, 232, 16),
  FIELD(TsDeviceSpec, step_overhead_s, 248, 8),
  FIELD(TsDeviceSpec, tdp_watts, 256, 8),
  FIELD(TsDeviceSpec, matmul_efficiency, 264, 8), /* ABI 2.1 */
  FIELD(TsDeviceSpec, memory_efficiency, 272, 8),
  FIELD(TsDeviceSpec, matmul_tile, 280, 8),
  FIELD(TsDeviceSpec, nvlink_sharp, 288, 8), /* ABI 2.2 */
  FIELD(TsDeviceSpec, matmul_units, 296, 8), /* ABI 2.2 */
  FIELD(TsDeviceSpec, matmul_tile_fixed_s, 304, 8), /* ABI 2.3 */
  FIELD(TsDeviceSpec, attention_flash2, 312, 8), /* ABI 2.4 */
  FIELD(TsDeviceSpec, matmul_reuse_edge, 320, 8), /* ABI 2.5 */
  FIELD(TsDeviceSpec, reserved, 328, 48),
  FIELD(TsWork, size, 0, 4),
  FIELD(TsWork, precision, 4, 4),
  FIELD(TsWork, workload, 8, 4),
  FIELD(TsWork, reserved0, 12, 4),
  FIELD(TsWork, flops, 16, 8),
  FIELD(TsWork, bytes, 24, 8),
  FIELD(TsWork, batch_per_device, 32, 8),
  FIELD(TsWork, reserved, 40, 48),
  FIELD(TsCollective, size, 0, 4),
  FIELD(TsCollective, kind, 4, 4),
  FIELD(TsCollective, algorithm, 8, 4),
  FIELD(TsCollective, participants, 12, 4),
  FIELD(TsCollective, per_node, 16, 4),
  FIELD(TsCollective, dims, 20, 12),
  FIELD(TsCollective, bytes, 32, 8),
  FIELD(TsCollective, mesh_dims, 40, 4),
  FIELD(TsCollective, reserved1, 44, 4),
  FIELD(TsCollective, reserved, 48, 40),
  FIELD(TsInputWork, size, 0, 4),
  FIELD(TsInputWork, kind, 4, 4),
  FIELD(TsInputWork, cores, 8, 8),
  FIELD(TsInputWork, reserved, 16, 48),
  FIELD(TsHostApi, abi_major, 0, 2),
  FIELD(TsHostApi, abi_minor, 2, 2),
  FIELD(TsHostApi, size, 4, 4),
  FIELD(TsHostApi, host_data, 8, 8),
  FIELD(TsHostApi, log, 16, 8),
  FIELD(TsHostApi, reserved, 24, 64),
  FIELD(TsPluginDescriptor, abi_major, 0, 2),
  FIELD(TsPluginDescriptor, abi_minor, 2, 2),
  FIELD(TsPluginDescriptor, size, 4, 4),
  FIELD(TsPluginDescriptor, name, 8, 8),
  FIELD(TsPluginDescriptor, version, 16, 8),
  FIELD(TsPluginDescriptor, description, 24, 8),
  FIELD(TsPluginDescriptor, catalog, 32, 8),
  FIELD(TsPluginDescriptor, instance_new, 40, 8),
  FIELD(TsPluginDescriptor, instance_free, 48, 8),
  FIELD(TsPluginDescriptor, compute_time, 56, 8),
  FIELD(TsPluginDescriptor, collective_time, 64, 8),
  FIELD(TsPluginDescriptor, input_rate, 72, 8),
  FIELD(TsPluginDescriptor, operation_time, 80, 8),
  FIELD(TsPluginDescriptor, stack_constants, 88, 8), /* ABI 2.1 */
  FIELD(TsPluginDescriptor, reserved, 96, 120),
  FIELD(TsStackConstants, size, 0, 4),
  FIELD(TsStackConstants, reserved0, 4, 4),
  FIELD(TsStackConstants, launch_s, 8, 8),
  FIELD(TsStackConstants, fusion, 16, 8),
  FIELD(TsStackConstants, overhead_s, 24, 8),
  FIELD(TsStackConstants, overlap, 32, 8),
  FIELD(TsStackConstants, tp_overlap, 40, 8),
  FIELD(TsStackConstants, reserved, 48, 40),
  FIELD(TsOperation, size, 0, 4),
  FIELD(TsOperation, reserved0, 4, 4),
  FIELD(TsOperation, kind, 8, 8),
  FIELD(TsOperation, precision, 16, 8),
  FIELD(TsOperation, workload, 24, 8),
  FIELD(TsOperation, stack, 32, 8),
  FIELD(TsOperation, flops, 40, 8),
  FIELD(TsOperation, bytes, 48, 8),
  FIELD(TsOperation, count, 56, 8),
  FIELD(TsOperation, m, 64, 8),
  FIELD(TsOperation, n, 72, 8),
  FIELD(TsOperation, k, 80, 8),
  FIELD(TsOperation, batch, 88, 8),
  FIELD(TsOperation, reserved, 96, 64),
};

static gboolean
is_pinned_platform(void)
{
#if defined(__x86_64__) && defined(__LP64__)
  return TRUE;
#else
  return FALSE;
#endif
}

static void
test_struct_sizes(void)
{
  if (!is_pinned_platform()) {
    g_test_skip("layouts are pinned for x86_64 only");
    return;
  }
  guint bad = 0;
  for (gsize i = 0; i < G_N_ELEMENTS(struct_sizes); i++) {
    const StructSize *s = &struct_sizes[i];
    if (s->size != s->expected) {
      g_test_message("sizeof(%s) is %zu, pinned at %zu", s->name, s->size, s->expected);
      bad++;
    }
  }
  g_assert_cmpuint(bad, ==, 0);
}

static void
test_field_offsets(void)
{
  if (!is_pinned_platform()) {
    g_test_skip("layouts are pinned for x86_64 only");
    return;
  }
  guint bad = 0;
  for (gsize i = 0; i < G_N_ELEMENTS(fields); i++) {
    const FieldLayout *f = &fields[i];
    if (f->offset != f->expected_offset || f->size != f->expected_size) {
      g_test_message("%s.%s is at %zu (%zu bytes), pinned at %zu (%zu bytes)", f->type, f->field, f->offset, f->size,
                     f->expected_offset, f->expected_size);
      bad++;
    }
  }
  g_assert_cmpuint(bad, ==, 0);
}

/* The listed fields of each struct follow one another with no gap and end at its size: a field added
 * (or a padding hole opened) without this table being updated is caught even if the size did not move. */
static void
test_fields_tile_structs(void)
{
  if (!is_pinned_platform()) {
    g_test_skip("layouts are pinned for x86_64 only");
    return;
  }
  for (gsize s = 0; s < G_N_ELEMENTS(struct_sizes); s++) {
    const char *name = struct_sizes[s].name;
    size_t end = 0;
    guint n = 0;
    for (gsize i = 0; i < G_N_ELEMENTS(fields); i++) {
      const FieldLayout *f = &fields[i];
      if (strcmp(f->type, name) != 0)
        continue;
      if (f->offset != end)
        g_error("%s.%s starts at %zu, the previous field ends at %zu: a field is missing from this test, or "
                "the layout has a hole", name, f->field, f->offset, end);
      end = f->offset + f->size;
      n++;
    }
    g_assert_cmpuint(n, >, 0);
    if (end != struct_sizes[s].size)
      g_error("the listed fields of %s end at %zu, the struct at %zu: a field is missing from this test", name, end,
              struct_sizes[s].size);
  }
}

/* Values that cross the boundary as integers. */
static void
test_enums_and_versions(void)
{
  g_assert_cmpint(TS_PLUGIN_ABI_MAJOR, ==, 2);
  g_assert_cmpint(TS_PLUGIN_ABI_MINOR, ==, 5);
  g_assert_cmpstr(TS_PLUGIN_ENTRY_SYMBOL, ==, "ts_plugin_entry");
  g_assert_cmpint(TS_PLUGIN_OK, ==, 0);
  g_assert_cmpint(TS_PLUGIN_UNSUPPORTED, ==, 1);
  g_assert_cmpint(TS_PLUGIN_FAILED, ==, 2);
  g_assert_cmpint(TS_PLUGIN_NOT_MODELLED, ==, 3);

  g_assert_cmpint(TS_PRECISION_FP32, ==, 0);
  g_assert_cmpint(TS_PRECISION_TF32, ==, 1);
  g_assert_cmpint(TS_PRECISION_FP16, ==, 2);
  g_assert_cmpint(TS_PRECISION_BF16, ==, 3);
  g_assert_cmpint(TS_PRECISION_FP8, ==, 4);
  g_assert_cmpint(TS_PRECISION_INT8, ==, 5);
  g_assert_cmpint(TS_PRECISION_COUNT, ==, 6);

  g_assert_cmpint(TS_WORKLOAD_CONV, ==, 0);
  g_assert_cmpint(TS_WORKLOAD_TRANSFORMER, ==, 1);
  g_assert_cmpint(TS_WORKLOAD_COUNT, ==, 2);

  g_assert_cmpint(TS_COLLECTIVE_ALL_REDUCE, ==, 0);
  g_assert_cmpint(TS_COLLECTIVE_ALL_GATHER, ==, 1);
  g_assert_cmpint(TS_COLLECTIVE_REDUCE_SCATTER, ==, 2);
  g_assert_cmpint(TS_COLLECTIVE_ALL_TO_ALL, ==, 3);
  g_assert_cmpint(TS_COLLECTIVE_COUNT, ==, 4);

  g_assert_cmpint(TS_ALGORITHM_AUTO, ==, 0);
  g_assert_cmpint(TS_ALGORITHM_RING, ==, 1);
  g_assert_cmpint(TS_ALGORITHM_TREE, ==, 2);
  g_assert_cmpint(TS_ALGORITHM_TORUS, ==, 3);
  g_assert_cmpint(TS_ALGORITHM_HIERARCHICAL, ==, 4);

  g_assert_cmpint(TS_INPUT_IMAGES, ==, 0);
  g_assert_cmpint(TS_INPUT_TOKENS, ==, 1);
}

/* TS_STRUCT_HAS, which a newer host uses to read an older plugin's structs, agrees with the offsets. */
static void
test_struct_has(void)
{
  TsWork w = {0};
  w.size = (uint32_t) offsetof(TsWork, reserved);
  g_assert_true(TS_STRUCT_HAS(&w, TsWork, batch_per_device));
  g_assert_false(TS_STRUCT_HAS(&w, TsWork, reserved));
  TsDeviceSpec d = {0};
  d.size = (uint32_t) offsetof(TsDeviceSpec, tdp_watts);
  g_assert_true(TS_STRUCT_HAS(&d, TsDeviceSpec, step_overhead_s));
  g_assert_false(TS_STRUCT_HAS(&d, TsDeviceSpec, tdp_watts));
  /* A 2.0 host's spec ends before the 2.1 efficiencies: a 2.1 plugin must not read them. */
  d.size = (uint32_t) offsetof(TsDeviceSpec, matmul_efficiency);
  g_assert_true(TS_STRUCT_HAS(&d, TsDeviceSpec, tdp_watts));
  g_assert_false(TS_STRUCT_HAS(&d, TsDeviceSpec, matmul_efficiency));
  d.size = sizeof d;
  g_assert_true(TS_STRUCT_HAS(&d, TsDeviceSpec, matmul_tile));
  g_assert_true(TS_STRUCT_HAS(&d, TsDeviceSpec, matmul_units));
  g_assert_true(TS_STRUCT_HAS(&d, TsDeviceSpec, reserved));
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/abi/struct-sizes", test_struct_sizes);
  g_test_add_func("/abi/field-offsets", test_field_offsets);
  g_test_add_func("/abi/fields-tile-structs", test_fields_tile_structs);
  g_test_add_func("/abi/enums-and-versions", test_enums_and_versions);
  g_test_add_func("/abi/struct-has", test_struct_has);
  return g_test_run();
}
