-- expect: :7: r:train: stragglers.slowdown: expected how many times as long the slow nodes take, e.g. 1.3
-- Slow nodes need their slowdown.
local box = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 16, per_node = 8, network = "200 Gbit/s" } }
local d = dataset { samples = 100000, bytes = "1 GB" }
local m = model { params = 1e8, flops = 1e9, activations = "1 MB" }
run(box, function(r)
  r:train { model = m, data = d, batch = 16, steps = 10, stragglers = { slow_fraction = 0.1 } }
end)
