-- expect: :7: r:train: failures.repair: expected a positive duration, got "0 s"
-- A repair takes time.
local box = cluster { accelerator = gpu { sku = "H100-SXM5-80GB", count = 16, per_node = 8, network = "200 Gbit/s" } }
local d = dataset { samples = 100000, bytes = "1 GB" }
local m = model { params = 1e8, flops = 1e9, activations = "1 MB" }
run(box, function(r)
  r:train { model = m, data = d, batch = 16, steps = 10, failures = { mtbf = "40000 h", spares = 1, repair = "0 s" } }
end)
