-- expect: precision: expected one of fp32, tf32, fp16, bf16, fp8, int8, got "bf32"
-- An unknown precision.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = models.resnet50, data = data, precision = "bf32", batch = 1024, steps = 10 }
  r:release(pod.accelerator)
end)
