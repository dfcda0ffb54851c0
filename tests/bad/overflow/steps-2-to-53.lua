-- expect: steps-2-to-53.lua:6: the simulation passed its horizon of 100 years
-- The largest step count a double holds exactly: its time passes the end of the clock.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = models.resnet50, data = datasets.imagenet_1k {}, precision = "bf16", batch = 1024, steps = 2^53 - 1 }
end)
