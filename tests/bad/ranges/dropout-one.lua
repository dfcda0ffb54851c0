-- expect: :8: r:train: dropout: expected a probability from 0 to below 1, got 1 (number)
-- A dropout probability of 1 (every value dropped: no training signal).
local box = cluster { accelerator = gpu { sku = "V100-SXM2-32GB", count = 1 } }
local text = dataset { name = "text", samples = 1000000, bytes = "1 GB", kind = "tokens" }
local gpt = models.gpt { name = "gpt", layers = 4, width = 512, seq = 512, vocab = 1000, heads = 8 }
run(box, function(r)
  r:provision(box.accelerator)
  r:train { model = gpt, data = text, batch = 8, steps = 10, precision = "fp16", dropout = 1 }
  r:release(box.accelerator)
end)
