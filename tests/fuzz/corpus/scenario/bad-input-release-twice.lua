-- expect: release of an accelerator that is not provisioned
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:release(pod.accelerator)
  r:release(pod.accelerator)
end)
