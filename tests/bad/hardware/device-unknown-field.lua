-- expect: :3: device: unknown field chips; accepted: count, define, instance, network, nodes, owned, per_node, plugin, price, pricing, sku, slice, slices
-- device{} refuses a key it does not know, with file:line and the keys it accepts.
local box = cluster { accelerator = device { plugin = "gpu", sku = "V100-SXM2-16GB", chips = 8 } }
run(box, function(r) r:provision(box.accelerator) r:release(box.accelerator) end)
