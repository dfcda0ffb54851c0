-- expect: batch: expected a positive integer, got 256.5
-- Half a sample.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = models.resnet50, data = data, precision = "bf16", batch = 256.5, steps = 10 }
  r:release(pod.accelerator)
end)
