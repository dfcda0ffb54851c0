local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r) r:provision(pod.accelerator) r:train { model = models.resnet50, data = data, batch = 1024, epochs = 1e300, precision = "bf16" } end)