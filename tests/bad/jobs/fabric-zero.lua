-- expect: fabric-zero.lua:3: cluster: fabric
-- A fabric that carries nothing would stop every job that sends between nodes.
local pool = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 16, per_node = 8, network = "200 Gbit/s" },
                       fabric = "0 Gbit/s" }
job { cluster = pool, name = "a", devices = 8, run = function(r) r:wait("1 h") end }
