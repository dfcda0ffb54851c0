-- expect: :8: r:train: attention: expected one of fused, fused_softmax, unfused, flash2, fused_fp8, got "flash3"
-- An unknown attention implementation.
local box = cluster { accelerator = gpu { sku = "V100-SXM2-32GB", count = 1 } }
local text = dataset { name = "text", samples = 1000000, bytes = "1 GB", kind = "tokens" }
local gpt = models.gpt { name = "gpt", layers = 4, width = 512, seq = 512, vocab = 1000, heads = 8 }
run(box, function(r)
  r:provision(box.accelerator)
  r:train { model = gpt, data = text, attention = "flash3", batch = 8, steps = 10, precision = "fp16" }
  r:release(box.accelerator)
end)
