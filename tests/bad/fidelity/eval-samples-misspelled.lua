-- expect: :6: r:train: eval: unknown field sample; accepted: every, samples
-- A misspelled evaluation key: file:line and the accepted keys.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:train { model = models.resnet50, data = data, precision = "bf16", batch = 1024, steps = 10, eval = { every = "100 steps", sample = 5000 } }
end)
