-- expect: epochs: expected a positive number
-- 0/0 epochs.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = models.resnet50, data = data, precision = "bf16", batch = 1024, epochs = 0/0 }
  r:release(pod.accelerator)
end)
