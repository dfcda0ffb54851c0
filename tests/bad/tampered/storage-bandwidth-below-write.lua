-- expect: storage.bandwidth: what reads and writes move together cannot be below read or write alone (2e+09 B/s), got 1e+09 B/s
-- A file system's shared bandwidth lowered after filesystem{} checked it: the host checks it again.
local fs = filesystem { read = "1 GB/s", write = "2 GB/s" }
fs.bandwidth = 1e9
local pool = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8, per_node = 8 }, storage = fs }
job { cluster = pool, name = "a", devices = 8, run = function(r) r:wait("1 h") end }
