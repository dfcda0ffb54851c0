-- expect: :7: r:train: mixed.balance: expected "wait" (every node the same share; the step waits for the slower generation) or "speed" (shares in proportion to each generation's speed), got "even"
-- The balance is one of two names.
local box = cluster { accelerator = gpu { sku = "H100-SXM5-80GB", count = 16, per_node = 8, network = "200 Gbit/s" } }
local d = dataset { samples = 100000, bytes = "1 GB" }
local m = model { params = 1e8, flops = 1e9, activations = "1 MB" }
run(box, function(r)
  r:train { model = m, data = d, batch = 16, steps = 10, mixed = { sku = "A100-SXM4-80GB", nodes = 1, balance = "even" } }
end)
