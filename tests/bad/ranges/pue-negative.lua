-- expect: :3: cluster: pue: expected the data centre's power usage effectiveness, a number from 1 to 10 (facility energy / IT energy), got -1.2
-- A negative PUE is refused, not taken as its absolute value.
local box = cluster { accelerator = tpu { slice = "v3-8" }, pue = -1.2 }
run(box, function(r) r:wait("1 h") end)
