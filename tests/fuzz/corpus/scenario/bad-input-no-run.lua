-- expect: never calls run(
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
