-- expect: startup-250-years.lua:5: the simulation passed its horizon of 100 years
-- A machine that takes 250 years to start.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r)
  r:provision(pod.accelerator, { startup = "250 year" })
end)
