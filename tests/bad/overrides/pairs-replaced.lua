-- expect: pairs-replaced.lua:8: r:train: unknown field epoch
-- pairs replaced by a function that walks nothing: the prelude's check of unknown fields does not use it.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
pairs = function() return function() return nil end end
next = pairs
run(pod, function(r)
  r:train { model = models.resnet50, data = data, batch = 256, epoch = 1 }
end)
