-- expect: :8: r:train: padding: only for a dataset of token sequences (kind = "tokens"), not "images"
-- Padding is a fraction of a token sequence; an image dataset has none.
local box = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8 } }
local tokens = dataset { name = "tokens", samples = 1000000, bytes = "8 GB", kind = "tokens" }
local images = dataset { name = "images", samples = 1000000, bytes = "8 GB" }
local m = models.gpt { name = "gpt-1b", layers = 24, width = 2048, seq = 2048, vocab = 32000 }
run(box, function(r)
  r:train { model = m, batch = 8, steps = 2, precision = "bf16", data = images, padding = 0.2 }
end)
