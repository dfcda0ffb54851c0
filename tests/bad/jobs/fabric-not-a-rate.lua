-- expect: fabric-not-a-rate.lua:3: cluster: fabric
-- A cluster's fabric is what its scale-out network carries between nodes at once: a rate, with its unit.
local pool = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 16, per_node = 8, network = "200 Gbit/s" },
                       fabric = "400 Gbit" }
job { cluster = pool, name = "a", devices = 8, run = function(r) r:wait("1 h") end }
