-- expect: :8: r:train: padding: expected the fraction of each sequence that is padding, from 0 to below 1, got 1 (number)
-- All padding and no tokens is not a training.
local box = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8 } }
local tokens = dataset { name = "tokens", samples = 1000000, bytes = "8 GB", kind = "tokens" }
local images = dataset { name = "images", samples = 1000000, bytes = "8 GB" }
local m = models.gpt { name = "gpt-1b", layers = 24, width = 2048, seq = 2048, vocab = 32000 }
run(box, function(r)
  r:train { model = m, batch = 8, steps = 2, precision = "bf16", data = tokens, padding = 1 }
end)
