-- expect: :3: filesystem: unknown field capacty; accepted: bandwidth, capacity, name, price, read, write
-- A misspelled key in filesystem{}.
local fs = filesystem { read = "2 GB/s", capacty = "10 TB" }
local pod = cluster { accelerator = tpu { slice = "v3-8" }, storage = fs }
run(pod, function(r) r:wait("1 h") end)
