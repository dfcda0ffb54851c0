-- expect: v3 is already provisioned
-- Provisioning what is already provisioned.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) r:provision(pod.accelerator) r:provision(pod.accelerator) end)
