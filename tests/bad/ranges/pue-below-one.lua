-- expect: :3: cluster: pue: expected the data centre's power usage effectiveness, a number from 1 to 10 (facility energy / IT energy), got 0.9
-- PUE is the facility's energy over the IT equipment's: below 1 would mean the building makes energy.
local box = cluster { accelerator = tpu { slice = "v3-8" },
  pue = 0.9 }
run(box, function(r) r:wait("1 h") end)
