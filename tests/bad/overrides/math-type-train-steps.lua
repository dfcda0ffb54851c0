-- expect: math-type-train-steps.lua:7: r:train: steps: expected a positive integer, got 2.5
-- math.type replaced to call 2.5 steps an integer.
math.type = function() return "integer" end
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:train { model = models.resnet50, data = data, batch = 1024, steps = 2.5 }
end)
