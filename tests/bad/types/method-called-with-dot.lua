-- expect: r:provision: call it as r:provision(...)
-- r.provision(x) instead of r:provision(x).
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) r.provision(pod.accelerator) end)
