-- expect: accelerator.devices holds 0, which the run cannot use
-- devices changed after gpu{} checked it: 0 devices once stopped trainsim with SIGFPE (a division by zero).
local g = gpu { sku = "V100-SXM2-16GB", count = 8 }
g.devices = 0
local box = cluster { accelerator = g }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(box, function(r)
  r:provision(box.accelerator)
  r:train { model = models.resnet50, data = data, precision = "fp16", batch = 256, steps = 10 }
  r:release(box.accelerator)
end)
