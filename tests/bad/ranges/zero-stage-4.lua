-- expect: parallel.zero: expected 0, 1, 2 or 3, got 4
-- ZeRO has stages 0 to 3.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = models.resnet50, data = data, precision = "bf16", batch = 1024, steps = 10, parallel = { zero = 4 } }
  r:release(pod.accelerator)
end)
