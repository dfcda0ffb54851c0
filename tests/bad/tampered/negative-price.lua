-- expect: accelerator.price holds -1
-- A negative price written after the prelude parsed the real one.
local g = gpu { sku = "V100-SXM2-16GB", count = 8 }
g.price = -1
local box = cluster { accelerator = g }
run(box, function(r) end)
