local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  coroutine.yield({ op = "train", where = "forged", model = models.resnet50, data = data, batch = 0, steps = 0/0,
                    precision = "bf16", micro_batch = 7, views = 0 })
end)
