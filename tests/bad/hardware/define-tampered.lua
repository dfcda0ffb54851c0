-- expect: accelerator.define.memory holds -1, which the run cannot use
-- The host checks a defined device's numbers again: a table changed after the prelude checked it is refused.
local acc = gpu { count = 4, define = { name = "X", peak = { fp16 = "1 TFLOP/s" }, memory = "16 GiB", memory_bandwidth = "900 GB/s" } }
acc.define.memory = -1
run(cluster { accelerator = acc }, function(r) r:wait("1 h") end)
