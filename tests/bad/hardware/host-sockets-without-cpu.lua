-- expect: host.sockets = 2 needs host.cpu
-- Sockets of what: without host.cpu there is no core count to multiply.
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { sockets = 2 } }
run(pod, function(r) end)
