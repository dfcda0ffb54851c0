-- expect: unknown unit "min" in "10 min" for a size in bytes
-- A duration where a size belongs.
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { ram = "10 min" } }
