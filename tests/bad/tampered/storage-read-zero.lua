-- expect: storage.read holds 0
-- A bucket that reads nothing per second, set after bucket{} checked it.
local b = bucket { read = "1 GB/s" }
b.read = 0
local pod = cluster { accelerator = tpu { slice = "v3-8" }, storage = b }
run(pod, function(r) r:wait("1 s") end)
