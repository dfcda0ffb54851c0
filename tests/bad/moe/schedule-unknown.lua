-- expect: :7: r:train: parallel.schedule: expected one of 1f1b, dualpipe, got "zero-bubble"
-- A pipeline schedule trainsim does not know: file:line and the ones it does.
local box = cluster { accelerator = gpu { sku = "H100-SXM5-80GB", count = 16, per_node = 8, network = "3200 Gbit/s" } }
local data = dataset { name = "tokens", samples = 1000000, bytes = "8 GB", kind = "tokens" }
local m = models.gpt { name = "moe", layers = 4, width = 1024, seq = 512, vocab = 1000, experts = 16, active_experts = 2 }
run(box, function(r)
  r:train { model = m, data = data, batch = 16, steps = 2, precision = "bf16", parallel = { pipeline = 2, schedule = "zero-bubble" } }
end)
