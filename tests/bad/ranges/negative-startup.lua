-- expect: r:provision: startup: expected a duration of zero or more, got "-1 h"
-- A negative start-up time used to be silently taken as zero.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) r:provision(pod.accelerator, { startup = "-1 h" }) r:release(pod.accelerator) end)
