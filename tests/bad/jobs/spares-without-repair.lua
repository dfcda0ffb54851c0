-- expect: spares-without-repair.lua:3: cluster: spares: expected { nodes = N, repair = "72 h" }
-- A cluster's spare nodes need the time a failed node is out for repair.
local pool = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 16, per_node = 8, network = "200 Gbit/s" },
                       spares = { nodes = 2 } }
job { cluster = pool, name = "a", devices = 8, run = function(r) r:wait("1 h") end }
