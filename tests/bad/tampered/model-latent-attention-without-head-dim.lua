-- expect: multi-head latent attention (model.kv_lora_rank 64) needs model.head_dim (got 0) and as many key/value heads as heads (got 16 of 16)
-- A key/value latent set after models.gpt checked the shape: the C side checks it again (ts_model_check).
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = dataset { samples = 100000, bytes = "1 GB", kind = "tokens" }
local m = models.gpt { layers = 12, width = 1024, heads = 16, seq = 512 }
m.kv_lora_rank = 64
run(pod, function(r) r:train { model = m, data = data, batch = 8, steps = 1 } end)
