-- expect: storage.bandwidth
-- A storage's shared bandwidth set to NaN after bucket{} checked it: the host refuses it.
local b = bucket { read = "1 GB/s", bandwidth = "2 GB/s" }
b.bandwidth = 0/0
local pool = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8, per_node = 8 }, storage = b }
job { cluster = pool, name = "a", devices = 8, run = function(r) r:wait("1 h") end }
