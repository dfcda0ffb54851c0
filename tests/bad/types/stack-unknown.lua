-- expect: stack: expected one of eager, compiled, tuned, got "jit"
-- An unknown software stack.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = models.resnet50, data = data, stack = "jit", batch = 1024, steps = 10 }
  r:release(pod.accelerator)
end)
