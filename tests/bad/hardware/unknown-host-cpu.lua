-- expect: host.cpu: unknown host CPU SKU "Pentium-4"; known: 
-- The host CPU of a cluster is looked up too.
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { cpu = "Pentium-4", sockets = 2 } }
run(pod, function(r) end)
