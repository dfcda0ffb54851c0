-- expect: "v9-8" is not a slice name of plugin tpu; generations:
-- A TPU generation that does not exist.
local pod = cluster { accelerator = tpu { slice = "v9-8" } }
