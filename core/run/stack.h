/* The software stack a run uses: how well its framework turns the model's operations into device time.
 * docs/model.md, "The software stack"; docs/validation.md says which stack a published run has. */
#ifndef TS_RUN_STACK_H
#define TS_RUN_STACK_H

#include <glib.h>

#include "plugin/plugin-host.h"

typedef enum {
  TS_STACK_EAGER = 0,    /* PyTorch (or another framework) running operation by operation */
  TS_STACK_COMPILED = 1, /* a graph compiler: XLA (TPU, JAX, TensorFlow graphs), torch.compile */
  TS_STACK_TUNED = 2,    /* hand-tuned for the benchmark: MLPerf closed-division submissions */
  TS_STACK_COUNT = 3
} TsStack;

/* What a scenario gets when r:train / r:infer say no `stack` (docs/scenario-api.md): eager, the stack that
 * reaches the least of a device's peak, so an unstated stack never flatters a forecast. */
#define TS_STACK_DEFAULT TS_STACK_EAGER

const char *ts_stack_get_name(TsStack stack);
gboolean ts_stack_from_name(const char *name, TsStack *out);

/* The stack's constants on a device (docs/model.md, "Stack constants"): core's, fitted by tools/fit.py and
 * loaded from calibration.json (the same for every device), then the device's plugin's override if it has
 * one (ABI 2.1, stack_constants).  *calibrated is FALSE when no calibration file names the stack (the neutral
 * values then apply: no launch cost, fusion 1, no overhead, overlap 1). */
gboolean ts_stack_get_constants(const TsRegistry *registry, TsDevice *device, TsStack stack,
                                TsStackConstants *constants, gboolean *calibrated, GError **error);

#endif
