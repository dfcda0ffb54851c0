-- expect: spares-on-one-run.lua:5: run: cluster.spares: a cluster's spare nodes are shared by its job{}s
-- A cluster's spare pool serves several jobs; one run() gives its own in failures = { spares, repair }.
local pool = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 16, per_node = 8, network = "200 Gbit/s" },
                       spares = { nodes = 2, repair = "3 days" } }
run(pool, function(r) r:wait("1 h") end)
