local box = cluster { accelerator = gpu { sku = "V100-SXM2-16GB", count = math.maxinteger, network = "100 Gbit/s" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(box, function(r) r:provision(box.accelerator) r:train { model = models.resnet50, data = data, batch = math.maxinteger, steps = 10 } r:release(box.accelerator) end)
