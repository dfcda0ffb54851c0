-- expect: unknown unit "GX"
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { ram = "340 GX" } }
