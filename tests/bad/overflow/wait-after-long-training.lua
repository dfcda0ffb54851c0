-- expect: wait-after-long-training.lua:7: the simulation passed its horizon of 100 years
-- 90 years of training, then 90 years of waiting: each fits the clock, the sum does not fit the horizon.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:wait("90 year")
  r:wait("90 year")
end)
