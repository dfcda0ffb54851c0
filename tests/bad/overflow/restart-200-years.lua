-- expect: restart-200-years.lua:7: the run never finishes
-- Every failure costs 200 years of restart.
-- exit: 3
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = models.resnet50, data = datasets.imagenet_1k {}, precision = "bf16", batch = 1024, epochs = 90, failures = { mtbf = "1 h", restart = "200 year" } }
end)
