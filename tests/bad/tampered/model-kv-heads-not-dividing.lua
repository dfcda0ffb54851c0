-- expect: model.heads holds 16, which is not a multiple of model.kv_heads (3)
-- Key/value heads changed after models.gpt checked them: the C side checks the shape again (ts_model_check).
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = dataset { samples = 100000, bytes = "1 GB", kind = "tokens" }
local m = models.gpt { layers = 12, width = 1024, heads = 16, kv_heads = 4, seq = 512 }
m.kv_heads = 3
run(pod, function(r) r:train { model = m, data = data, batch = 8, steps = 1 } end)
