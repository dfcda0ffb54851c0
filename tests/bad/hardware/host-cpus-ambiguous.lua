-- expect: host.cpus: say what it counts: host.sockets = N
-- "cpus = 1" could mean one socket or one core; it is refused with the two names that say which.
local box = cluster { accelerator = gpu { instance = "DGX Station", pricing = "owned" }, host = { cpus = 1 } }
run(box, function(r) end)
