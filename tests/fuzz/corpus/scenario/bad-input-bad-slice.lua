-- expect: "v3-100" is not a v3 slice; valid slices: v3-8
local pod = cluster { accelerator = tpu { slice = "v3-100" } }
