-- expect: :4: cluster: price: "on-demand" is not owned, but its accelerator has owned = {...} terms
-- The cluster's price changes the machine's pricing: not away from the terms it was bought on.
local acc = gpu { instance = "DGX Station", owned = { utilisation = 0.5 } }
local box = cluster { accelerator = acc, price = "on-demand" }
run(box, function(r) r:wait("1 h") end)
