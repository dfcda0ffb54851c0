-- expect: run-and-job.lua:5: run: a scenario has one run() or several job{}s on a cluster, not both
-- Jobs on a cluster, or one run: not both in one scenario.
local pool = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8, per_node = 8 } }
job { cluster = pool, name = "a", devices = 8, run = function(r) r:wait("1 h") end }
run(pool, function(r) r:wait("1 h") end)
