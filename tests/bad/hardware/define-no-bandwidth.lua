-- expect: :3: gpu: define.memory_bandwidth: expected a rate such as "900 GB/s"
-- The memory bandwidth is needed: memory-bound operations would otherwise take no time.
local acc = gpu { count = 4,
  define = { name = "P100-PCIe-16GB", peak = { fp16 = "18.7 TFLOP/s" }, memory = "16 GiB" } }
run(cluster { accelerator = acc }, function(r) r:wait("1 h") end)
