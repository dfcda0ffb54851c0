-- expect: model.flops holds
-- A model's FLOPs set to NaN after model{} checked them: the results would be NaN.
local box = cluster { accelerator = gpu { sku = "V100-SXM2-16GB", count = 8 }, host = { disk = "2 TB" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
local m = model { params = 25e6, flops = "8 GFLOP", activations = "40 MB", workload = "conv" }
m.flops = 0/0
run(box, function(r)
  r:provision(box.accelerator)
  r:train { model = m, data = data, precision = "fp16", batch = 256, steps = 10 }
  r:release(box.accelerator)
end)
