-- expect: :3: models.gpt: q_lora_rank and rope_head_dim describe multi-head latent attention: give kv_lora_rank with them
-- A query latent without the key/value latent that names multi-head latent attention.
local m = models.gpt { name = "mla", layers = 4, width = 512, heads = 8, head_dim = 64, q_lora_rank = 128 }
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) r:wait("1 h") end)
