-- expect: "v9-8" is not a TPU slice name like "v3-128"
-- A TPU generation that does not exist.
local pod = cluster { accelerator = tpu { slice = "v9-8" } }
