-- expect: :3: cluster: carbon: "20 kg/kWh" is above 10,000 g/kWh, more than any grid emits
-- 20 kg per kWh is a typo for grams: no fuel emits that much.
local box = cluster { accelerator = tpu { slice = "v3-8" }, carbon = "20 kg/kWh" }
run(box, function(r) r:wait("1 h") end)
