-- expect: :7: r:train: mixed.sku: expected the other generation's device SKU, e.g. "V100-SXM2-32GB", got nil
-- The other generation must be named.
local box = cluster { accelerator = gpu { sku = "H100-SXM5-80GB", count = 16, per_node = 8, network = "200 Gbit/s" } }
local d = dataset { samples = 100000, bytes = "1 GB" }
local m = model { params = 1e8, flops = 1e9, activations = "1 MB" }
run(box, function(r)
  r:train { model = m, data = d, batch = 16, steps = 10, mixed = { nodes = 1 } }
end)
