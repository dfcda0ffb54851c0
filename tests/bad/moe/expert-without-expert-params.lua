-- expect: :8: parallel.expert = 4 needs the experts' share of moe's parameters: describe it by its shape (models.gpt) or give model { expert_params = N }
-- A mixture of experts given by its totals only: expert parallelism cannot know what it shards.
local box = cluster { accelerator = gpu { sku = "H100-SXM5-80GB", count = 16, per_node = 8, network = "3200 Gbit/s",
                                          price = "2 USD/device-hour" } }
local data = dataset { name = "tokens", samples = 100000, bytes = "1 GB", kind = "tokens" }
local m = model { name = "moe", params = 1e9, active_params = 3e8, flops = "1 TFLOP", activations = "1 GB", layers = 8, width = 1024, seq = 1024, experts = 8 }
run(box, function(r)
  r:train { model = m, data = data, batch = 64, steps = 2, precision = "bf16", parallel = { expert = 4 } }
end)
