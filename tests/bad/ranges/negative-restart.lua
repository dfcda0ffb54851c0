-- expect: failures.restart: expected a duration of zero or more, got "-10 min"
-- A restart that ends before it starts.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = models.resnet50, data = data, precision = "bf16", batch = 1024, steps = 100, failures = { mtbf = "1000 h", restart = "-10 min" } }
  r:release(pod.accelerator)
end)
