-- expect: cluster.fabric holds -1
-- A cluster's fabric set negative after cluster{} checked it: the host checks it again.
local pool = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 16, per_node = 8, network = "200 Gbit/s" },
                       fabric = "400 Gbit/s" }
pool.fabric = -1
job { cluster = pool, name = "a", devices = 8, run = function(r) r:wait("1 h") end }
