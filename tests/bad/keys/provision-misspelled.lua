-- expect: :4: r:provision: options: unknown field start_up; accepted: startup
-- A misspelled option of r:provision.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) r:provision(pod.accelerator, { start_up = "5 min" }) end)
