-- expect: epochs-1e15.lua:6: the simulation passed its horizon of 100 years
-- 10^15 epochs of ImageNet: the step count saturated and the summary reported steps = INT64_MAX, exit 0.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = models.resnet50, data = datasets.imagenet_1k {}, precision = "bf16", batch = 1024, epochs = 1e15 }
end)
