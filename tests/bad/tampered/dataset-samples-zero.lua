-- expect: dataset.samples holds 0
-- A dataset emptied after it was made.
local box = cluster { accelerator = gpu { sku = "V100-SXM2-16GB", count = 8 }, host = { disk = "2 TB" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
data.samples = 0
run(box, function(r)
  r:provision(box.accelerator)
  r:train { model = models.resnet50, data = data, precision = "fp16", batch = 256, epochs = 1 }
  r:release(box.accelerator)
end)
