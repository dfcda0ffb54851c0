-- expect: batch 32 does not split evenly over 64 data-parallel replicas
local pod = cluster { accelerator = tpu { slice = "v3-128" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = models.resnet50, data = data, batch = 32, epochs = 1 }
end)
