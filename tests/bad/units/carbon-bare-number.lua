-- expect: :3: cluster: carbon: expected the grid's carbon intensity like "400 g/kWh" (grams of CO2e per kWh; kg/kWh also accepted), got 400
-- A bare number has no unit: grams or kilograms per kWh must be said.
local box = cluster { accelerator = tpu { slice = "v3-8" }, carbon = 400 }
run(box, function(r) r:wait("1 h") end)
