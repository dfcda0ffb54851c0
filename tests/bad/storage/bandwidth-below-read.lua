-- expect: bandwidth-below-read.lua:4: bucket: bandwidth: what reads and writes move together cannot be below read or write alone ("2 GB/s"), got "1 GB/s"
-- A storage's bandwidth is what its reads and writes move together when several jobs use it: it cannot be less
-- than one direction alone.
local fs = bucket { read = "2 GB/s", write = "1 GB/s", bandwidth = "1 GB/s" }
local pool = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8, per_node = 8 }, storage = fs }
job { cluster = pool, name = "a", devices = 8, run = function(r) r:wait("1 h") end }
