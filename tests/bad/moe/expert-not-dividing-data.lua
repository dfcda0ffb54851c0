-- expect: :8: parallel.expert = 16 does not divide the 8 data-parallel replicas (16 devices / tensor x pipeline x context 2): expert-parallel groups are made of data-parallel ranks
-- Expert-parallel groups are made of data-parallel ranks (Megatron-Core): 16 of them do not fit in 8 replicas.
local box = cluster { accelerator = gpu { sku = "H100-SXM5-80GB", count = 16, per_node = 8, network = "3200 Gbit/s",
                                          price = "2 USD/device-hour" } }
local data = dataset { name = "tokens", samples = 100000, bytes = "1 GB", kind = "tokens" }
local m = models.gpt { name = "moe", layers = 4, width = 512, seq = 256, vocab = 1000, experts = 16, active_experts = 2 }
run(box, function(r)
  r:train { model = m, data = data, batch = 64, steps = 2, precision = "bf16", parallel = { tensor = 2, expert = 16, sequence_parallel = true } }
end)
