-- expect: r:provision must be called from the run function itself
-- r: calls from a coroutine the script made would escape the simulation.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r)
  local co = coroutine.wrap(function() r:provision(pod.accelerator) end)
  co()
end)
