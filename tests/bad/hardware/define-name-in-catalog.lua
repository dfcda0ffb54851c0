-- expect: :3: gpu: define.name: "V100-SXM2-16GB" is in plugin gpu's catalog; use sku = "V100-SXM2-16GB"
-- A define never shadows a catalog SKU (two devices would answer to one name in the outputs).
local acc = gpu { count = 4,
  define = { name = "V100-SXM2-16GB", peak = { fp16 = "125 TFLOP/s" }, memory = "16 GiB", memory_bandwidth = "900 GB/s" } }
run(cluster { accelerator = acc }, function(r) r:wait("1 h") end)
