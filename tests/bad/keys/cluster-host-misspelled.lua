-- expect: :3: cluster: host: unknown field disks; accepted: cores, cpu, disk, disk_read, disk_write, ram, sockets
-- A misspelled key in cluster{host = ...}.
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { ram = "340 GiB", disks = "1 TB" } }
run(pod, function(r) r:wait("1 h") end)
