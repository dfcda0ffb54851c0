local g = gpu { sku = "V100-SXM2-16GB", count = 8 }
g.devices = 0
local box = cluster { accelerator = g }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
local M = models.resnet50
run(box, function(r) r:provision(box.accelerator) r:train { model = M, data = data, batch = 256, steps = 10, precision = "fp16" } r:release(box.accelerator) end)
