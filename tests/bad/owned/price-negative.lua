-- expect: :3: gpu: owned.price: expected the up-front price of one machine, such as "69000 USD", got "-69000 USD"
-- The up-front price is what one machine costs, above zero.
local box = cluster { accelerator = gpu { instance = "DGX Station", owned = { price = "-69000 USD" } } }
run(box, function(r) r:wait("1 h") end)
