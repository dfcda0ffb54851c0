-- expect: host.ram: expected a size in bytes
-- A unit with no number before it.
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { ram = "GiB" } }
