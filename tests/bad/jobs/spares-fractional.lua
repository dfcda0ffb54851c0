-- expect: spares-fractional.lua:3: cluster: spares.nodes
-- Spare nodes are whole nodes.
local pool = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 16, per_node = 8, network = "200 Gbit/s" },
                       spares = { nodes = 1.5, repair = "3 days" } }
job { cluster = pool, name = "a", devices = 8, run = function(r) r:wait("1 h") end }
