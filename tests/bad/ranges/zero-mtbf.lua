-- expect: failures.mtbf: expected a positive duration, got "0 s"
-- A device that fails all the time.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = models.resnet50, data = data, precision = "bf16", batch = 1024, steps = 100, failures = { mtbf = "0 s" } }
  r:release(pod.accelerator)
end)
