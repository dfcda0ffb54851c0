-- expect: :3: bucket: unknown field wirte; accepted: bandwidth, capacity, name, price, read, write
-- A misspelled key in bucket{}.
local b = bucket { read = "2 GB/s", wirte = "1 GB/s" }
local pod = cluster { accelerator = tpu { slice = "v3-8" }, storage = b }
run(pod, function(r) r:wait("1 h") end)
