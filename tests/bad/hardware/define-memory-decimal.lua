-- expect: :3: gpu: define.memory: device memory is binary (vendors' "GB" of HBM mean GiB: an H100 "80GB" is 80 GiB); write it in KiB, MiB, GiB or TiB, got "16 GB"
-- As in the catalogs, device memory in decimal GB is refused rather than read as 7 % less memory.
local acc = gpu { count = 4,
  define = { name = "P100-PCIe-16GB", peak = { fp16 = "18.7 TFLOP/s" }, memory = "16 GB", memory_bandwidth = "720 GB/s" } }
run(cluster { accelerator = acc }, function(r) r:wait("1 h") end)
