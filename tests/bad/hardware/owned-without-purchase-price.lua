-- expect: H100-SXM5-80GB: owned hardware needs a purchase price in the catalog
-- Owning hardware whose purchase price the catalog does not know.
local box = cluster { accelerator = gpu { sku = "H100-SXM5-80GB", count = 8, pricing = "owned" } }
run(box, function(r) r:provision(box.accelerator) r:wait("1 h") r:release(box.accelerator) end)
