-- expect: unknown-scheduler.lua:3: cluster: scheduler: expected one of fifo, priority, priority-preempt, fair, got "sjf"
-- The cluster's scheduler is one the model has.
local pool = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8, per_node = 8 }, scheduler = "sjf" }
job { cluster = pool, name = "a", devices = 8, run = function(r) r:wait("1 h") end }
