-- expect: :3: cluster: carbon: expected the grid's carbon intensity like "400 g/kWh" (grams of CO2e per kWh; kg/kWh also accepted), got "400 g/GB"
-- Carbon intensity is per kWh of electricity.
local box = cluster { accelerator = tpu { slice = "v3-8" }, carbon = "400 g/GB" }
run(box, function(r) r:wait("1 h") end)
