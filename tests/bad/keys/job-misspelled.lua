-- expect: :4: job: unknown field arival; accepted: arrival, cluster, devices, group, name, priority, restart, run
-- A misspelled key in job{} (several jobs on one cluster), answered at its line with the keys it accepts.
local pool = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8, per_node = 8 } }
job { cluster = pool, name = "a", arival = "2 h", devices = 8, run = function(r) r:wait("1 h") end }
