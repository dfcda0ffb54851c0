-- expect: multi-node-without-network.lua:5: 2 nodes of V100-SXM2-16GB need a network between them
-- 16 GPUs are two nodes of 8: without a scale-out network the all-reduce cannot be modelled.
local box = cluster { accelerator = gpu { sku = "V100-SXM2-16GB", count = 16 } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(box, function(r)
  r:provision(box.accelerator)
  r:train { model = models.resnet50, data = data, precision = "fp16", batch = 1024, steps = 10 }
  r:release(box.accelerator)
end)
