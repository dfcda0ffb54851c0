-- expect: fractional-priority.lua:4: job: priority: expected an integer from -1000000 to 1000000 (higher goes first), got 1.5
-- Priorities are whole numbers.
local pool = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8, per_node = 8 } }
job { cluster = pool, name = "a", priority = 1.5, devices = 8, run = function(r) r:wait("1 h") end }
