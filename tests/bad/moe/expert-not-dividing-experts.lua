-- expect: :8: parallel.expert = 6 does not divide the 8 experts of moe: each expert-parallel rank holds the same number of them
-- Six expert-parallel ranks cannot hold eight experts evenly.
local box = cluster { accelerator = gpu { sku = "H100-SXM5-80GB", count = 16, per_node = 8, network = "3200 Gbit/s",
                                          price = "2 USD/device-hour" } }
local data = dataset { name = "tokens", samples = 100000, bytes = "1 GB", kind = "tokens" }
local m = models.gpt { name = "moe", layers = 4, width = 512, seq = 256, vocab = 1000, experts = 8, active_experts = 2 }
run(box, function(r)
  r:train { model = m, data = data, batch = 48, steps = 2, precision = "bf16", parallel = { pipeline = 2, expert = 6 } }
end)
