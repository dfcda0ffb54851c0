-- expect: :3: gpu: define: expected a table such as {name = "V100-SXM3-32GB", peak = {fp16 = "125 TFLOP/s"}, memory = "32 GiB", memory_bandwidth = "900 GB/s"}, got "P100"
-- define is a table of the device's numbers.
local acc = gpu { count = 4, define = "P100" }
run(cluster { accelerator = acc }, function(r) r:wait("1 h") end)
