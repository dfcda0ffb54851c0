-- expect: :3: gpu: unknown field cuont; accepted: count, define, instance, network, nodes, owned, per_node, price, pricing, sku
-- A misspelled key in gpu{}: file:line and the accepted keys.
local box = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", cuont = 8 } }
run(box, function(r) r:wait("1 h") end)
