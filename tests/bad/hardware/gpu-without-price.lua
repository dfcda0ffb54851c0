-- expect: H100-SXM5-80GB has no on-demand price in the catalog
-- A bare GPU SKU with no list price.
local box = cluster { accelerator = gpu { sku = "H100-SXM5-80GB", count = 8 } }
run(box, function(r) r:provision(box.accelerator) r:release(box.accelerator) end)
