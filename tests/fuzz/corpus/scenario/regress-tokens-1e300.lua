local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r) r:provision(pod.accelerator) r:train { model = models.gpt { layers = 2, width = 64 }, data = data, batch = 8, tokens = 1e300, precision = "bf16" } end)