-- expect: :3: device: expected one of sku, instance or slice, not several
-- Two ways of naming the machine at once.
local box = cluster { accelerator = device { plugin = "gpu", sku = "A100-SXM4-40GB", instance = "p4d.24xlarge" } }
run(box, function(r) r:provision(box.accelerator) r:release(box.accelerator) end)
