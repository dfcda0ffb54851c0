-- expect: :3: device: no plugin named "nosuchaccel" is loaded (see `trainsim plugins`)
-- A plugin that is not loaded: the registry says so, by name.
local box = cluster { accelerator = device { plugin = "nosuchaccel", sku = "X-1", count = 8 } }
run(box, function(r) r:provision(box.accelerator) r:release(box.accelerator) end)
