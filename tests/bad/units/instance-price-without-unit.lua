-- expect: instance-price-without-unit.lua:3: gpu: price: a price needs its unit, e.g. "30 USD/instance-hour"
-- A number without its unit, for a whole instance: the suggestion is per instance-hour.
local box = cluster { accelerator = gpu { instance = "p4d.24xlarge", price = 30 } }
run(box, function(r) r:provision(box.accelerator) r:release(box.accelerator) end)
