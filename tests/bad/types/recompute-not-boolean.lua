-- expect: :6: r:train: parallel.recompute: expected true, false, "auto" or a remat policy (minimal, save_dot_with_context_except_mlp, save_dot_except_mlpwi, save_dot_except_mlp, save_dot_except_logits_ffn1, save_dot_except_logits, save_qkv_proj, full), got "yes"
-- recompute takes a boolean, "auto" or a remat policy's name; "yes" is none of them.
local box = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8, price = "1 USD/device-hour" } }
local d = dataset { samples = 1000000, bytes = "1 GB", kind = "tokens" }
run(box, function(r)
  r:train { model = models.gpt { layers = 4, width = 1024, seq = 1024 }, data = d, batch = 8, steps = 1,
            parallel = { recompute = "yes" } }
end)
