/* trainsim/plugin.h — the device-plugin ABI.
 *
 * A plugin is a shared object that exports exactly one symbol, TS_PLUGIN_ENTRY_SYMBOL, returning a
 * pointer to a static TsPluginDescriptor.  Every struct that crosses the boundary starts with its own
 * size (and the descriptor with the ABI major/minor), so both sides can tell what the other knows.
 *
 * Versioning rule (docs/plugin-abi.md):
 *   - major changes when a field is removed, reordered or changes meaning: the host refuses a plugin
 *     whose major differs from its own;
 *   - minor grows when fields are appended (taken from the reserved slots): the host refuses a plugin
 *     whose minor is newer than its own, and accepts older minors (it reads `size` to know which
 *     trailing fields exist).
 * Structs are append-only.  Never reorder, never reuse a reserved slot for something else.
 *
 * A plugin keeps no mutable globals: all state lives in the per-instance context the plugin returns
 * from instance_new, so several simulations may call one plugin at once from different threads.
 */
#ifndef TRAINSIM_PLUGIN_H
#define TRAINSIM_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TS_PLUGIN_ABI_MAJOR 2
#define TS_PLUGIN_ABI_MINOR 5
#define TS_PLUGIN_ENTRY_SYMBOL "ts_plugin_entry"

#if defined(__GNUC__)
#define TS_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define TS_PLUGIN_EXPORT
#endif

/* Return codes of every plugin call. */
#define TS_PLUGIN_OK 0
#define TS_PLUGIN_UNSUPPORTED 1  /* the device cannot do this (V100 + bf16): errbuf says why; the run stops */
#define TS_PLUGIN_FAILED 2       /* anything else; errbuf says what */
#define TS_PLUGIN_NOT_MODELLED 3 /* the plugin has no model of this: never 0 s.  The host falls back to its
                                  * roofline for an operation, and reports null (with a diagnostic) for a
                                  * collective; errbuf may say why */

typedef enum {
  TS_PRECISION_FP32 = 0,
  TS_PRECISION_TF32 = 1,
  TS_PRECISION_FP16 = 2,
  TS_PRECISION_BF16 = 3,
  TS_PRECISION_FP8 = 4,
  TS_PRECISION_INT8 = 5,
  TS_PRECISION_COUNT = 6
} TsPrecision;

typedef enum {
  TS_WORKLOAD_CONV = 0,        /* convolutional vision (ResNet) */
  TS_WORKLOAD_TRANSFORMER = 1, /* dense or MoE transformers (ViT, BERT, GPT) */
  TS_WORKLOAD_COUNT = 2
} TsWorkload;

typedef enum {
  TS_COLLECTIVE_ALL_REDUCE = 0,
  TS_COLLECTIVE_ALL_GATHER = 1,
  TS_COLLECTIVE_REDUCE_SCATTER = 2,
  TS_COLLECTIVE_ALL_TO_ALL = 3,
  TS_COLLECTIVE_COUNT = 4
} TsCollectiveKind;

typedef enum {
  TS_ALGORITHM_AUTO = 0, /* the plugin picks the fastest it models */
  TS_ALGORITHM_RING = 1,
  TS_ALGORITHM_TREE = 2,
  TS_ALGORITHM_TORUS = 3,
  TS_ALGORITHM_HIERARCHICAL = 4
} TsAlgorithm;

typedef enum {
  TS_INPUT_IMAGES = 0, /* JPEG decode + augmentation, images per second */
  TS_INPUT_TOKENS = 1  /* tokenized text, tokens per second */
} TsInputKind;

/* A device SKU as the host parsed it from the plugin's catalog (SI units: bytes, bytes/s, FLOP/s,
 * seconds).  0 means "not stated" for any number.  Append-only. */
typedef struct TsDeviceSpec {
  uint32_t size;
  uint32_t reserved0;
  const char *sku;        /* "V100-SXM2-16GB", "v3", "EPYC-9654" */
  const char *generation; /* calibration family: "V100", "TPU v3", "CPU" */
  const char *name;       /* human name */
  double peak_dense[TS_PRECISION_COUNT];  /* FLOP/s (or OP/s for int8) without sparsity */
  double peak_sparse[TS_PRECISION_COUNT]; /* with 2:4 structured sparsity; 0 if none */
  double memory_bytes;                    /* device memory (HBM) or, for a CPU, socket RAM */
  double memory_bandwidth;                /* bytes/s */
  double runtime_reserved_bytes;          /* what the runtime keeps for itself */
  double cores;                           /* TensorCores per TPU chip, CPU cores per socket */
  double link_bandwidth;                  /* per link, per direction, bytes/s (NVLink, ICI) */
  double links;                           /* links per device */
  double link_latency_s;
  double network_bandwidth; /* per device share of the node's scale-out network, bytes/s */
  double network_latency_s;
  double input_images_per_core_s; /* CPU input pipeline (JPEG decode + augmentation) */
  double input_tokens_per_core_s;
  /* The aggregate model's compute_time (TsWork): since ABI 2.1 the host fills efficiency[] with the
   * generation's matmul_efficiency for every workload class and leaves half_batch[] and step_overhead_s 0 (the
   * per-step cost is the software stack's, in core: TsStackConstants). */
  double efficiency[TS_WORKLOAD_COUNT]; /* achieved fraction of peak at large batch */
  double half_batch[TS_WORKLOAD_COUNT]; /* per-device batch at which efficiency is half the above (0: none) */
  double step_overhead_s;               /* 0 since ABI 2.1 */
  double tdp_watts;
  /* ABI 2.1 (appended from the reserved slots).  The operator-level model's device side (docs/model.md,
   * "Operator-level model"): the fitted fraction of the dense peak a large, tile-aligned product reaches on
   * this generation, and the fitted fraction of memory_bandwidth memory-bound kernels reach, both from
   * calibration.json (tools/fit.py); and the sourced edge of the matrix unit's tile (128 for a 128x128 MXU;
   * cuBLAS's thread-block tile on NVIDIA GPUs), by which a product's dimensions are padded.  0: not stated
   * (efficiencies: uncalibrated, see docs/model.md; tile: no quantisation). */
  double matmul_efficiency;
  double memory_efficiency;
  double matmul_tile;
  /* ABI 2.2, from a reserved slot (a 2.1 host leaves it 0): 1 when the device's NVLink switches reduce in the network
   * (NVLink SHARP, NVSwitch gen 3 and later), so an all-reduce inside the NVLink domain sends each GPU's data
   * once instead of a ring's 2(k-1)/k times (docs/model.md, "GPU").  0: not stated (no in-switch reduction). */
  double nvlink_sharp;
  /* ABI 2.2, from a reserved slot: the units a product's output tiles are scheduled on, one tile per unit
   * per wave (the streaming multiprocessors of an NVIDIA GPU), for wave quantisation; 0: not stated (no wave
   * quantisation).  docs/model.md, "Operator-level model". */
  double matmul_units;
  /* ABI 2.3, from a reserved slot (a 2.2 host leaves it 0): the seconds each output tile of a product spends
   * outside its k loop (filling the pipeline with its first operand tiles, writing its result), fitted by
   * tools/fit.py as one constant shared by the generations and loaded from calibration.json.  The loop itself
   * takes 2 x tile^2 x k FLOPs at the unit's share of the precision's rate, so an 8-bit product's loop is half a
   * 16-bit one's and a short k gains less than twice the rate (docs/model.md, "Operator-level model").  0: no
   * fixed cost (and none where matmul_tile or matmul_units is not stated). */
  double matmul_tile_fixed_s;
  /* ABI 2.4, from a reserved slot (a 2.3 host leaves it 0): the 16-bit FLOP/s, forward and backward together, that
   * FlashAttention-2's own kernels (Dao-AILab flash_attn 2.x, built on SM80's warp-level products) reach on this
   * device, a measured figure from the catalog; the host sends such a core as kind "attention_flash2"
   * (docs/model.md, "Operator-level model: the layers").  0: not stated (the core runs as any "attention"). */
  double attention_flash2;
  /* ABI 2.5, from a reserved slot (a 2.4 host leaves it 0): the edge, in elements, of the output blocks a product is
   * computed in between trips to device memory -- each block reads its rows of one operand and its columns of the
   * other once, so an operand is read once per block of the other side (a blocked product's traffic, docs/model.md,
   * "Operand re-reads").  Fitted by tools/fit.py as one constant shared by the generations and loaded from
   * calibration.json.  0: not stated (each operand read once: the product's least traffic). */
  double matmul_reuse_edge;
  double reserved[6];
} TsDeviceSpec;

/* Work for one device in one step (or one pass). */
typedef struct TsWork {
  uint32_t size;
  int32_t precision; /* TsPrecision */
  int32_t workload;  /* TsWorkload */
  int32_t reserved0;
  double flops;            /* floating-point operations on this device */
  double bytes;            /* bytes moved to and from device memory */
  double batch_per_device; /* samples (or sequences) per device in this pass */
  double reserved[6];
} TsWork;

/* A collective over a group of identical devices. */
typedef struct TsCollective {
  uint32_t size;
  int32_t kind;      /* TsCollectiveKind */
  int32_t algorithm; /* TsAlgorithm */
  uint32_t participants;
  uint32_t per_node;  /* devices that share the fast intra-node fabric (NVLink domain, TPU slice) */
  uint32_t dims[3];   /* torus shape for TPU slices; 0 where not a torus */
  double bytes;       /* payload per participant */
  /* Bit d set: dimension d of `dims` has no wraparound link (a mesh line, not a ring), as in TPU v4/v5p slices
   * smaller than a 4x4x4 cube.  Taken from the first reserved slot (older hosts leave it 0: all tori). */
  uint32_t mesh_dims;
  uint32_t reserved1;
  double reserved[5];
} TsCollective;

/* One operation of the operator-level model (docs/model.md, "Operations"), as the device sees it: `count`
 * identical operations (one per layer of a kind, say) on this device's share of the work, forward and backward
 * together where the host asks so.  Everything is by name, so kinds and precisions can grow without an ABI
 * change.  Append-only. */
typedef struct TsOperation {
  uint32_t size;
  uint32_t reserved0;
  /* "matmul" (dense products, convolutions as implicit GEMM), "attention" (scores and context),
   * "attention_flash2" (the same core run by FlashAttention-2's own kernels; ABI 2.4), or a memory-bound kind:
   * "norm", "elementwise", "softmax", "pool", "embedding", "optimizer".  A plugin answers
   * TS_PLUGIN_NOT_MODELLED for a kind it does not know. */
  const char *kind;
  const char *precision; /* "fp32", "tf32", "fp16", "bf16", "fp8", "int8", "mxfp8", "mxfp4", "fp4", ... */
  const char *workload;  /* the model's class, "conv" or "transformer": which calibration family applies */
  const char *stack;     /* "eager", "compiled", "tuned" */
  double flops;          /* all `count` operations together, on this device */
  double bytes;          /* moved to and from device memory, all `count` together */
  double count;          /* identical operations (kernel launches) the figures cover */
  /* Shape of one operation.  matmul: m, n, k of the product (rows = the micro-batch's tokens or pixels);
   * attention: query length, key length, head dimension; memory-bound kinds: 0. */
  double m, n, k;
  double batch; /* samples (sequences, images) per device in the pass */
  double reserved[8];
} TsOperation;

/* The software stack's constants (docs/model.md, "Stack constants"): core holds them per stack, fitted by
 * tools/fit.py and loaded from calibration.json, shared across devices; the host fills this struct with them
 * and a plugin may override any of them for its devices (stack_constants below).  Append-only. */
typedef struct TsStackConstants {
  uint32_t size;
  uint32_t reserved0;
  double launch_s;   /* host and launch cost per kernel launch (x each operation's count) */
  double fusion;     /* fraction of fusible memory-bound bytes still moved after fusion (eager: 1) */
  double overhead_s; /* per step (host synchronisation, data hand-off, logging) */
  double overlap;    /* fraction of a compute window under which data-parallel communication, and the ring
                      * attention's key/value exchange, hide (0..1) */
  double tp_overlap; /* fraction of the tensor-parallel traffic hidden when the run pipelines it with the
                      * products (parallel.tp_overlap = true; 0..1).  In a former reserved slot: a plugin built
                      * before it passes core's value through */
  double reserved[5];
} TsStackConstants;

typedef struct TsInputWork {
  uint32_t size;
  int32_t kind; /* TsInputKind */
  double cores; /* host CPU cores given to the input pipeline */
  double reserved[6];
} TsInputWork;

/* What the host offers a plugin.  Append-only, with reserved slots. */
typedef struct TsHostApi {
  uint16_t abi_major;
  uint16_t abi_minor;
  uint32_t size;
  void *host_data;
  void (*log)(void *host_data, const char *plugin, const char *message);
  void (*reserved[8])(void);
} TsHostApi;

typedef struct TsPluginDescriptor {
  uint16_t abi_major;
  uint16_t abi_minor;
  uint32_t size; /* sizeof(TsPluginDescriptor) as the plugin was compiled */
  const char *name;        /* "gpu": what scenarios and `trainsim devices` call it */
  const char *version;     /* the plugin's own version */
  const char *description; /* one line */
  const char *catalog;     /* catalog file name, looked up beside the shared object; may be NULL */

  /* One instance per simulation and SKU: all mutable state lives behind *instance. */
  int (*instance_new)(const TsHostApi *host, const TsDeviceSpec *spec, void **instance, char *errbuf,
                      size_t errlen);
  void (*instance_free)(void *instance);

  /* Every call below takes an error buffer: on any answer but TS_PLUGIN_OK the plugin may write its reason
   * there (NUL-terminated, at most errlen bytes), and the host shows it to the user. */

  /* Seconds for `work` on one device (the aggregate model).  Finite, >= 0, non-decreasing in flops and bytes. */
  int (*compute_time)(void *instance, const TsWork *work, double *seconds, char *errbuf, size_t errlen);
  /* Seconds for a collective over the group; finite and >= 0.  NULL, or TS_PLUGIN_NOT_MODELLED: the host
   * reports the term as null with a diagnostic, never as 0 s. */
  int (*collective_time)(void *instance, const TsCollective *collective, double *seconds, char *errbuf,
                         size_t errlen);
  /* Samples (images) or tokens per second that `work->cores` host cores feed; NULL if not a CPU model. */
  int (*input_rate)(void *instance, const TsInputWork *work, double *per_second, char *errbuf, size_t errlen);
  /* The device side of the operator-level model: seconds for `op` on one device (what an operation of this
   * kind and shape achieves here, at that precision, moving those bytes), launch costs excluded (those are
   * the stack's, in core).  NULL, or TS_PLUGIN_NOT_MODELLED: the host uses its roofline (docs/plugin-abi.md).
   * Finite, >= 0, non-decreasing in flops and bytes. */
  int (*operation_time)(void *instance, const TsOperation *op, double *seconds, char *errbuf, size_t errlen);
  /* ABI 2.1.  The stack constants for `stack` ("eager", "compiled", "tuned") on this device: *constants
   * arrives filled with core's values; the plugin may change any of them.  NULL, or TS_PLUGIN_NOT_MODELLED:
   * core's values stand.  Every value must stay finite, >= 0, fusion and overlap within [0, 1]. */
  int (*stack_constants)(void *instance, const char *stack, TsStackConstants *constants, char *errbuf,
                         size_t errlen);

  void (*reserved[15])(void);
} TsPluginDescriptor;

typedef const TsPluginDescriptor *(*TsPluginEntryFunc)(void);

/* The one symbol a plugin exports. */
#define TS_PLUGIN_DEFINE(descriptor)                                                                    \
  TS_PLUGIN_EXPORT const TsPluginDescriptor *ts_plugin_entry(void);                                     \
  TS_PLUGIN_EXPORT const TsPluginDescriptor *ts_plugin_entry(void) { return &(descriptor); }

/* True when a struct of `size` bytes includes `field` (for reading what an older peer filled). */
#define TS_STRUCT_HAS(ptr, type, field) ((ptr)->size >= offsetof(type, field) + sizeof((ptr)->field))

#ifdef __cplusplus
}
#endif

#endif /* TRAINSIM_PLUGIN_H */
