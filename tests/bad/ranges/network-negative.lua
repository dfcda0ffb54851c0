-- expect: network-negative.lua:3: gpu: network: expected a positive rate, got "-1 Gbit/s"
-- A negative scale-out bandwidth: once reported by the host without a line.
local g = gpu { sku = "V100-SXM2-16GB", count = 16, network = "-1 Gbit/s" }
local box = cluster { accelerator = g }
run(box, function(r) r:provision(g) end)
