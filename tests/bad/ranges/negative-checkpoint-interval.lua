-- expect: checkpoint.every: expected a positive duration, got "-30 min"
-- A negative interval used to mean: never checkpoint.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = models.resnet50, data = data, precision = "bf16", batch = 1024, steps = 100, checkpoint = { every = "-30 min" } }
  r:release(pod.accelerator)
end)
