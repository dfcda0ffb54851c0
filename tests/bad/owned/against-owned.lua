-- expect: :4: gpu: owned.against: the alternative to owning is rented: give it pricing = "on-demand", "spot", "committed-1y" or "committed-3y"
-- The break-even weighs owning against renting: an owned alternative has none.
local other = gpu { instance = "DGX Station", pricing = "owned" }
local box = cluster { accelerator = gpu { instance = "DGX Station", owned = { against = other } } }
run(box, function(r) r:wait("1 h") end)
