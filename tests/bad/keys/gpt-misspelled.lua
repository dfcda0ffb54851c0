-- expect: :3: models.gpt: unknown field kv_head; accepted: active_experts, active_params, dense_layers, expert_ffn, experts, ffn, gated, head_dim, heads, kv_heads, kv_lora_rank, layers, name, params, q_lora_rank, rope_head_dim, seq, shared_experts, tied_embeddings, vocab, width
-- A misspelled key in models.gpt{}.
local m = models.gpt { layers = 32, width = 4096, kv_head = 8, heads = 32 }
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) r:wait("1 h") end)
