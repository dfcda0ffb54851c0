-- expect: the run never finishes: 10000 failures in a row
-- exit: 3
-- A failure every nanosecond per chip and no checkpoints: no step ever completes.  The simulation used to loop
-- for ever at one instant (found by fuzzing).
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = models.resnet50, data = data, precision = "bf16", batch = 1024, epochs = 90, failures = { mtbf = "1 ns", restart = "1 ns" } }
  r:release(pod.accelerator)
end)
