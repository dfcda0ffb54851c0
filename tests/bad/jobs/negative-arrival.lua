-- expect: negative-arrival.lua:4: job: arrival:
-- A job arrives at a time from the start of the scenario, not before it.
local pool = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8, per_node = 8 } }
job { cluster = pool, name = "a", arrival = "-2 h", devices = 8, run = function(r) r:wait("1 h") end }
