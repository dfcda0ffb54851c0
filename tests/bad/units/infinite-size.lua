-- expect: host.disk: expected a size in bytes
-- inf is not a size.
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { disk = "inf GB" } }
