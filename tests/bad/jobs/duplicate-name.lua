-- expect: duplicate-name.lua:5: job: name: a job named "a" already exists
-- Jobs are told apart by name in the summary's jobs[] and the trace's tracks.
local pool = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8, per_node = 8 } }
job { cluster = pool, name = "a", devices = 8, run = function(r) r:wait("1 h") end }
job { cluster = pool, name = "a", devices = 4, run = function(r) r:wait("1 h") end }
