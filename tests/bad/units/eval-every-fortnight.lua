-- expect: :6: r:train: eval.every: unknown unit
-- An interval in a unit trainsim does not know.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:train { model = models.resnet50, data = data, precision = "bf16", batch = 1024, steps = 10, eval = { every = "1 fortnight" } }
end)
