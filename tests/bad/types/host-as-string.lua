-- expect: host: expected a table, got "big"
-- host is a table of ram, disk, sockets or cores, cpu.
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = "big" }
