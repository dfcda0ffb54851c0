-- expect: :3: gpu: define.peak: expected at least one precision's peak, e.g. bf16 = "312 TFLOP/s"
-- A device with no peak at any precision cannot compute anything.
local acc = gpu { count = 4,
  define = { name = "P100-PCIe-16GB", peak = {}, memory = "16 GiB", memory_bandwidth = "720 GB/s" } }
run(cluster { accelerator = acc }, function(r) r:wait("1 h") end)
