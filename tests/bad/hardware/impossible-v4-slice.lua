-- expect: "v4-6" is not a v4 slice; valid slices:
-- v4 slices are powers of two TensorCores from v4-8.
local pod = cluster { accelerator = tpu { slice = "v4-6" } }
