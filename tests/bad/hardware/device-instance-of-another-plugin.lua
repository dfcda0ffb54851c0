-- expect: :3: device: instance: p4d.24xlarge is a machine of plugin "gpu", not "cpu"
-- device{} checks that the instance named belongs to the plugin named.
local box = cluster { accelerator = device { plugin = "cpu", instance = "p4d.24xlarge" } }
run(box, function(r) r:provision(box.accelerator) r:release(box.accelerator) end)
