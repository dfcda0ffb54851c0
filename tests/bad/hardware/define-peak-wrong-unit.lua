-- expect: :3: gpu: define.peak.fp16: unknown unit "TB/s" in "18.7 TB/s" for a compute rate; accepted:
-- A peak is a compute rate: a byte rate is a mistake, named with the units accepted.
local acc = gpu { count = 4,
  define = { name = "P100-PCIe-16GB", peak = { fp16 = "18.7 TB/s" }, memory = "16 GiB", memory_bandwidth = "720 GB/s" } }
run(cluster { accelerator = acc }, function(r) r:wait("1 h") end)
