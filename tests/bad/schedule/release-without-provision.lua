-- expect: release of an accelerator that is not provisioned
-- Releasing what was never provisioned.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) r:release(pod.accelerator) end)
