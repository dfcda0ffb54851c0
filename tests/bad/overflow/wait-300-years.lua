-- expect: wait-300-years.lua:6: the simulation passed its horizon of 100 years
-- 300 years is past the end of the clock (int64 nanoseconds, about 292 years): the wait saturated and a train
-- phase after it lasted 0 s, exit 0.  Now the horizon stops it at the wait.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r)
  r:wait("300 year")
  r:provision(pod.accelerator)
  r:train { model = models.resnet50, data = datasets.imagenet_1k {}, precision = "bf16", batch = 1024, steps = 100 }
end)
