-- expect: model.architecture holds "lstm"
-- An architecture core/model/ has no layer list for, set after the prelude built the model.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = dataset { samples = 100000, bytes = "1 GB", kind = "tokens" }
local m = models.gpt { layers = 12, width = 1024, heads = 16, seq = 512 }
m.architecture = "lstm"
run(pod, function(r) r:train { model = m, data = data, batch = 8, steps = 1 } end)
