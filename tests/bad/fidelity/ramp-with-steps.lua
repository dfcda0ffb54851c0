-- expect: :7: r:train: batch: a ramp needs the run's length in tokens or epochs, not steps
-- A ramp splits the run by samples or tokens: its length must be in tokens or epochs.
local box = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8 } }
local tokens = dataset { name = "tokens", samples = 1000000, bytes = "8 GB", kind = "tokens" }
local m = models.gpt { name = "gpt-1b", layers = 24, width = 2048, seq = 2048, vocab = 32000 }
run(box, function(r)
  r:train { model = m, data = tokens, precision = "bf16", steps = 100, batch = { {upto = "2e8 tokens", size = 16}, {size = 64} } }
end)
