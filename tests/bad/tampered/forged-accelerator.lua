-- expect: accelerator.devices holds 0
-- A table that only looks like an accelerator (rawset __kind), with 0 devices.
local fake = { __kind = "accelerator", plugin = "gpu", sku = "V100-SXM2-16GB", devices = 0 }
local pod = cluster { accelerator = fake }
run(pod, function(r) r:provision(fake) end)
