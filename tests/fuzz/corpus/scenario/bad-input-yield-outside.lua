-- expect: not an r:... action
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) coroutine.yield(42) end)
