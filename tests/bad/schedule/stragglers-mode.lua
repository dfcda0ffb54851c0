-- expect: :7: r:train: stragglers.mode: expected "expected" (every step the expected slowest) or "sampled" (each step's nodes drawn from the seed, step by step), got "random"
-- The mode is one of two names.
local box = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 16, per_node = 8, network = "200 Gbit/s" } }
local d = dataset { samples = 100000, bytes = "1 GB" }
local m = model { params = 1e8, flops = 1e9, activations = "1 MB" }
run(box, function(r)
  r:train { model = m, data = d, batch = 16, steps = 10, stragglers = { jitter = 0.1, mode = "random" } }
end)
