/* Named recomputation policies (XLA/JAX remat policies as MaxText names them): which tensors of a transformer
 * layer the forward pass keeps for the backward pass, which operations the backward pass runs again, and
 * which of the kept tensors go to host memory (docs/model.md, "Recomputation policies"). */
#ifndef TS_MODEL_REMAT_H
#define TS_MODEL_REMAT_H

#include <glib.h>

#include "model/model.h"

/* What a policy keeps of a layer besides its input (bits). */
typedef enum {
  TS_REMAT_KEEP_QKV = 1 << 0,     /* the query, key and value products' outputs */
  TS_REMAT_KEEP_CONTEXT = 1 << 1, /* the attention core's output */
  TS_REMAT_KEEP_OUT = 1 << 2,     /* the attention output product's */
  TS_REMAT_KEEP_FFN_UP = 1 << 3,  /* the FFN's first product(s)' (gate and up when gated) */
  TS_REMAT_KEEP_FFN_ACT = 1 << 4, /* the FFN's activation output (the down product's input) */
} TsRematKeep;

/* Where a policy's kept tensors stay. */
typedef enum {
  TS_REMAT_OFFLOAD_NONE,     /* device memory */
  TS_REMAT_OFFLOAD_PRODUCTS, /* the products' outputs go to host memory, the layer's input stays */
  TS_REMAT_OFFLOAD_SAVED,    /* everything kept goes to host memory, the layer's input included */
} TsRematOffload;

/* The role of an operation inside a layer, for the policy that decides whether the backward pass runs it
 * again.  NONE: outside the layers (embedding, head, loss): never recomputed. */
typedef enum {
  TS_REMAT_ROLE_NONE,
  TS_REMAT_ROLE_STREAM,   /* norms, element-wise passes, residual adds */
  TS_REMAT_ROLE_PRODUCT,  /* any other product in a layer (MoE router, latent projections, convolutions) */
  TS_REMAT_ROLE_QKV,
  TS_REMAT_ROLE_ATTENTION,
  TS_REMAT_ROLE_OUT,
  TS_REMAT_ROLE_FFN_UP,
  TS_REMAT_ROLE_FFN_DOWN,
} TsRematRole;

/* Policies are numbered from 1 (0: none, the recompute fraction decides).  The number of the policy of that
 * name (parallel.recompute's words other than "auto" and "full"): FALSE for an unknown name (*policy untouched). */
gboolean ts_remat_policy_from_name(const char *name, guint *policy);
/* Its name and its TsRematKeep bits (NULL and 0 for 0 or a number past the last). */
const char *ts_remat_policy_get_name(guint policy);
guint ts_remat_policy_get_keep(guint policy);
/* The names in order, NULL-terminated (the scenario's field rules check parallel.recompute against them). */
extern const char *const ts_remat_policy_names[];
const char *ts_remat_offload_get_name(TsRematOffload offload);
gboolean ts_remat_offload_from_name(const char *name, TsRematOffload *out);

/* Whether the backward pass runs an operation of this role again under a policy keeping `keep`. */
gboolean ts_remat_role_recomputed(guint keep, TsRematRole role);

/* The fraction of a layer's forward tensor-parallel (and context-parallel) collectives its re-run forward pass
 * repeats under a policy keeping `keep` (0 to 3/4: the one after the FFN's down product never). */
double ts_remat_policy_collectives_rerun(guint keep);

/* A policy's values kept per token of one layer on one tensor-parallel rank (sequence_parallel: the layer's
 * input and the attention output product's output split over the tp ranks too): *device those left in device
 * memory, *host those offloaded.  FALSE with an error naming the model where the policy is not modelled for
 * it (no transformer architecture, a mixture of experts, multi-head latent attention). */
gboolean ts_remat_kept_values(const TsModel *m, guint keep, TsRematOffload offload, guint tp,
                              gboolean sequence_parallel, double *device, double *host, GError **error);

#endif
