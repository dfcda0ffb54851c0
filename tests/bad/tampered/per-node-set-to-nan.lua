-- expect: accelerator.per_node holds
-- NaN GPUs per node, written into the table gpu{} returned.
local g = gpu { sku = "V100-SXM2-16GB", count = 8 }
g.per_node = 0/0
local box = cluster { accelerator = g }
run(box, function(r) end)
