-- expect: :7: r:train: parallel.partition: expected one of layers, layers+embeddings, got "parameters"
-- A pipeline split trainsim does not know (DeepSpeed's 'parameters' method is not modelled): file:line and the ones it does.
local box = cluster { accelerator = gpu { sku = "H100-SXM5-80GB", count = 16, per_node = 8, network = "3200 Gbit/s" } }
local data = dataset { name = "tokens", samples = 1000000, bytes = "8 GB", kind = "tokens" }
local m = models.gpt { name = "gpt", layers = 4, width = 1024, seq = 512, vocab = 1000 }
run(box, function(r)
  r:train { model = m, data = data, batch = 16, steps = 2, precision = "bf16", parallel = { pipeline = 2, partition = "parameters" } }
end)
