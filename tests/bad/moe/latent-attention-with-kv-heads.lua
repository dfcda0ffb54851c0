-- expect: :3: models.gpt: multi-head latent attention (kv_lora_rank) needs heads and head_dim (each head's key and value width without the rotary part) and no kv_heads (every head has its own key and value)
-- Multi-head latent attention gives every head its own key and value: grouped key/value heads contradict it.
local m = models.gpt { name = "mla", layers = 4, width = 512, heads = 8, kv_heads = 2, head_dim = 64, kv_lora_rank = 64 }
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) r:wait("1 h") end)
