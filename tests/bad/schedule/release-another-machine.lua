-- expect: release of an accelerator that is not provisioned
-- Releasing a machine other than the one provisioned.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local other = tpu { slice = "v3-8" }
run(pod, function(r) r:provision(pod.accelerator) r:release(other) end)
