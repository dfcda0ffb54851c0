-- expect: :7: r:train: stragglers: unknown field slowdonw; accepted: jitter, mode, slow_fraction, slow_nodes, slowdown
-- A misspelled key in r:train's stragglers, answered with the keys it accepts.
local box = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 16, per_node = 8, network = "200 Gbit/s" } }
local d = dataset { samples = 100000, bytes = "1 GB" }
local m = model { params = 1e8, flops = 1e9, activations = "1 MB" }
run(box, function(r)
  r:train { model = m, data = d, batch = 16, steps = 10, stragglers = { slow_nodes = 1, slowdonw = 2 } }
end)
