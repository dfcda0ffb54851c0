-- expect: :3: gpu: define.peak: unknown field fp61; accepted: bf16, fp16, fp32, fp8, int8, tf32
-- define.peak takes the precisions trainsim knows, each once.
local acc = gpu { count = 4,
  define = { name = "P100-PCIe-16GB", peak = { fp61 = "18.7 TFLOP/s" }, memory = "16 GiB", memory_bandwidth = "720 GB/s" } }
run(cluster { accelerator = acc }, function(r) r:wait("1 h") end)
