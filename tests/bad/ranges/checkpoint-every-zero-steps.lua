-- expect: checkpoint.every: expected a positive integer, got 0
-- A checkpoint every 0 steps.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = models.resnet50, data = data, precision = "bf16", batch = 1024, steps = 10, checkpoint = { every = "0 steps" } }
  r:release(pod.accelerator)
end)
