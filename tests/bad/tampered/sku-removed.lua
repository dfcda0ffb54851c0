-- expect: accelerator.sku is not a string
-- The SKU removed from the table: the host used to pass NULL to a string compare.
local g = gpu { sku = "V100-SXM2-16GB", count = 8 }
g.sku = nil
local box = cluster { accelerator = g }
run(box, function(r) end)
