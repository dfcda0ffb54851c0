local box = cluster { accelerator = gpu { sku = "V100-SXM2-16GB", count = 8 } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(box, function(r) r:provision(box.accelerator) r:train { model = models.resnet50, data = data, batch = 256, steps = 10, parallel = { tensor = 65536, pipeline = 65536 } } r:release(box.accelerator) end)
