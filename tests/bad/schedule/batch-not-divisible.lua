-- expect: batch 100 does not split evenly over 8 data-parallel replicas
-- 100 samples over 8 GPUs.
local box = cluster { accelerator = gpu { sku = "V100-SXM2-16GB", count = 8 }, host = { disk = "2 TB" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(box, function(r)
  r:provision(box.accelerator)
  r:train { model = models.resnet50, data = data, precision = "fp16", batch = 100, steps = 10 }
  r:release(box.accelerator)
end)
