-- expect: instance-priced-per-gb-month.lua:4: gpu: price: a machine is priced per core-, chip-, device-, slice-, instance- or node-hour (here USD/instance-hour), got "30 USD/GB-month"
-- A whole GPU instance priced in a storage unit: the error names the line and the unit that fits an
-- instance (not USD/chip-hour).
local box = cluster { accelerator = gpu { instance = "p4d.24xlarge", price = "30 USD/GB-month" } }
run(box, function(r) r:provision(box.accelerator) r:release(box.accelerator) end)
