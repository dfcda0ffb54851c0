-- expect: :3: tpu: unknown field host; accepted: network, price, pricing, slice, slices
-- tpu{} once took a host key and ignored it: a host's RAM and disks belong to cluster{ host = ... }.
local pod = cluster { accelerator = tpu { slice = "v3-8", host = { ram = "340 GiB" } } }
run(pod, function(r) r:wait("1 h") end)
