-- expect: r:wait: duration: expected a duration of zero or more, got "-5 min"
-- A negative wait used to be silently taken as zero.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) r:provision(pod.accelerator) r:wait("-5 min") r:release(pod.accelerator) end)
