-- expect: tpu v3: v3 (TPU v3) has no fp8 arithmetic: its catalog states no dense fp8 peak
-- fp8 training on a TPU v3, which has no fp8 peak in its catalog.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = models.resnet50, data = data, precision = "fp8", batch = 1024, steps = 10 }
  r:release(pod.accelerator)
end)
