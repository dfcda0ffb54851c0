-- expect: cluster.spare_repair holds
-- A cluster's spare repair time set to NaN after cluster{} checked it: the host checks it again.
local pool = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 16, per_node = 8, network = "200 Gbit/s" },
                       spares = { nodes = 2, repair = "3 days" } }
pool.spare_repair = 0/0
job { cluster = pool, name = "a", devices = 8, run = function(r) r:wait("1 h") end }
