-- expect: DGX H100 has no on-demand price in the catalog
-- An instance the catalog lists without a rental price: give price = ... or pricing = "owned".
local box = cluster { accelerator = gpu { instance = "DGX H100" } }
run(box, function(r) r:provision(box.accelerator) r:release(box.accelerator) end)
