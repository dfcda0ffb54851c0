-- expect: :7: r:train: parallel.tp_overlap: expected the fraction of tensor-parallel communication hidden under compute, a number from 0 to 1, or true (the stack pipelines it with the products), got 1.5 (number)
-- More than all of the tensor-parallel traffic cannot be hidden: file:line, what was expected and what was given.
local box = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8 } }
local data = dataset { name = "tokens", samples = 1000000, bytes = "8 GB", kind = "tokens" }
local m = models.gpt { name = "gpt-1b", layers = 24, width = 2048, seq = 2048, vocab = 32000 }
run(box, function(r)
  r:train { model = m, data = data, batch = 8, steps = 2, precision = "bf16", parallel = { tensor = 8, tp_overlap = 1.5 } }
end)
