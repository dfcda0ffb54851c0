-- expect: :3: gpu: define: not with sku, instance or slice (define is a device no catalog has)
-- define describes a device no catalog has; with sku it would say two things.
local acc = gpu { sku = "V100-SXM2-16GB", count = 4, define = { name = "X", peak = { fp16 = "1 TFLOP/s" }, memory = "16 GiB", memory_bandwidth = "900 GB/s" } }
run(cluster { accelerator = acc }, function(r) r:wait("1 h") end)
