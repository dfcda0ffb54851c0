-- expect: :3: gpu: define.peak.fp32: expected a positive flops, got "-9.3 TFLOP/s"
-- A negative peak is a mistake.
local acc = gpu { count = 4,
  define = { name = "P100-PCIe-16GB", peak = { fp32 = "-9.3 TFLOP/s" }, memory = "16 GiB", memory_bandwidth = "720 GB/s" } }
run(cluster { accelerator = acc }, function(r) r:wait("1 h") end)
