-- expect: :6: r:train: parallel.offload: moves what a remat policy keeps to host memory; give parallel.recompute a policy (minimal, save_dot_with_context_except_mlp, save_dot_except_mlpwi, save_dot_except_mlp, save_dot_except_logits_ffn1, save_dot_except_logits, save_qkv_proj, full), got true (boolean)
-- Offloading asked with whole-layer recomputation: there is no policy whose kept tensors could go to the host.
local box = cluster { accelerator = tpu { slice = "v6e-8" } }
local d = dataset { samples = 1000000, bytes = "1 GB", kind = "tokens" }
run(box, function(r)
  r:train { model = models.gpt { layers = 4, width = 1024, seq = 1024 }, data = d, batch = 8, steps = 1,
            parallel = { recompute = true, offload = "saved" } }
end)
