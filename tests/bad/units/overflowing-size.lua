-- expect: "1e308 PB" is out of range
-- A number that overflows once its unit is applied.
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { disk = "1e308 PB" } }
