local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r) r:provision(pod.accelerator) r:train { model = models.resnet50, data = data, batch = 1024, precision = "bf16", epochs = 90, failures = { mtbf = "1 ns", restart = "1 ns" } } r:release(pod.accelerator) end)
