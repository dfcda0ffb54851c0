-- expect: :7: mixed.nodes = 2: the cluster has 2 nodes; at least one must hold its own H100-SXM5-80GB
-- A mixed cluster keeps at least one node of its own generation.
local box = cluster { accelerator = gpu { sku = "H100-SXM5-80GB", count = 16, per_node = 8, network = "200 Gbit/s" } }
local d = dataset { samples = 100000, bytes = "1 GB" }
local m = model { params = 1e8, flops = 1e9, activations = "1 MB" }
run(box, function(r)
  r:train { model = m, data = d, batch = 16, steps = 10, mixed = { sku = "A100-SXM4-80GB", nodes = 2 } }
end)
