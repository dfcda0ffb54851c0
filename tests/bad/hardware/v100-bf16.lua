-- expect: gpu V100-SXM2-16GB: V100-SXM2-16GB (Volta) has no bf16 arithmetic: its catalog states no dense bf16 peak
-- bf16 training on V100s, which have no bf16 arithmetic: the plugin's own reason reaches the user (issue 15).
local box = cluster { accelerator = gpu { sku = "V100-SXM2-16GB", count = 8, per_node = 8 } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(box, function(r)
  r:provision(box.accelerator)
  r:train { model = models.resnet50, data = data, precision = "bf16", batch = 256, steps = 10 }
  r:release(box.accelerator)
end)
