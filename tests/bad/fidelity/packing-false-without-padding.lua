-- expect: :8: r:train: packing = false: say how much of each sequence is padding, padding = 0.2 (a fraction from 0 to below 1)
-- Not packed, but how much padding? An unstated fraction would be a silent default.
local box = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8 } }
local tokens = dataset { name = "tokens", samples = 1000000, bytes = "8 GB", kind = "tokens" }
local images = dataset { name = "images", samples = 1000000, bytes = "8 GB" }
local m = models.gpt { name = "gpt-1b", layers = 24, width = 2048, seq = 2048, vocab = 32000 }
run(box, function(r)
  r:train { model = m, batch = 8, steps = 2, precision = "bf16", data = tokens, packing = false }
end)
