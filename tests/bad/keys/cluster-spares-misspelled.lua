-- expect: :3: cluster: spares: unknown field repiar; accepted: nodes, repair
-- A misspelled key in cluster{}'s spares table, answered at the cluster's line with the keys it accepts.
local pool = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 16, per_node = 8, network = "200 Gbit/s" },
                       spares = { nodes = 2, repiar = "3 days" } }
job { cluster = pool, name = "a", devices = 8, run = function(r) r:wait("1 h") end }
