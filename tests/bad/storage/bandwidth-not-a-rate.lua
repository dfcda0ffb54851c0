-- expect: bandwidth-not-a-rate.lua:3: filesystem: bandwidth
-- A file system's bandwidth is a rate, with its unit.
local fs = filesystem { read = "2 GB/s", write = "1 GB/s", bandwidth = "2 GB" }
local pool = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8, per_node = 8 }, storage = fs }
job { cluster = pool, name = "a", devices = 8, run = function(r) r:wait("1 h") end }
