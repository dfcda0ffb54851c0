-- expect: :7: r:train: stragglers.slowdown: expected a factor from 1 to 100 (1.3: 30 % slower), got 0.5
-- A slow node is slower: a factor below 1 is a mistake (a faster node does not shorten a synchronous step).
local box = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 16, per_node = 8, network = "200 Gbit/s" } }
local d = dataset { samples = 100000, bytes = "1 GB" }
local m = model { params = 1e8, flops = 1e9, activations = "1 MB" }
run(box, function(r)
  r:train { model = m, data = d, batch = 16, steps = 10, stragglers = { slow_nodes = 1, slowdown = 0.5 } }
end)
