-- expect: :7: r:train: batch[2].upto: each segment must end after the one before it
-- A batch ramp whose segments end out of order.
local box = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8 } }
local tokens = dataset { name = "tokens", samples = 1000000, bytes = "8 GB", kind = "tokens" }
local m = models.gpt { name = "gpt-1b", layers = 24, width = 2048, seq = 2048, vocab = 32000 }
run(box, function(r)
  r:train { model = m, data = tokens, precision = "bf16", tokens = 1e9, batch = { {upto = "2e8 tokens", size = 16}, {upto = "1e8 tokens", size = 32}, {size = 64} } }
end)
