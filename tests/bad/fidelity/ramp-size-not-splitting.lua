-- expect: :7: batch 12 does not split evenly over 8 data-parallel replicas (8 devices)
-- Every size of a ramp must split over the data-parallel replicas.
local box = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8 } }
local tokens = dataset { name = "tokens", samples = 1000000, bytes = "8 GB", kind = "tokens" }
local m = models.gpt { name = "gpt-1b", layers = 24, width = 2048, seq = 2048, vocab = 32000 }
run(box, function(r)
  r:train { model = m, data = tokens, precision = "bf16", tokens = 1e9, batch = { {upto = "2e8 tokens", size = 12}, {size = 64} } }
end)
