-- expect: :7: r:train: parallel.sequence_parallel: expected true or false, got "yes"
-- sequence_parallel is a switch, not a string.
local box = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8 } }
local data = dataset { name = "tokens", samples = 1000000, bytes = "8 GB", kind = "tokens" }
local m = models.gpt { name = "gpt-1b", layers = 24, width = 2048, seq = 2048, vocab = 32000 }
run(box, function(r)
  r:train { model = m, data = data, batch = 8, steps = 2, precision = "bf16", parallel = { tensor = 8, sequence_parallel = "yes" } }
end)
