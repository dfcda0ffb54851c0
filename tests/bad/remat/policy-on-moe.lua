-- expect: :7: parallel.recompute = "minimal": model moe: named recomputation policies are not modelled for a mixture of experts or multi-head latent attention; use recompute = true, false or "auto"
-- A remat policy on a mixture of experts: not modelled, said so rather than guessed.
local box = cluster { accelerator = tpu { slice = "v6e-8" } }
local d = dataset { samples = 1000000, bytes = "1 GB", kind = "tokens" }
local m = models.gpt { name = "moe", layers = 4, width = 512, heads = 8, seq = 1024, experts = 8, active_experts = 2 }
run(box, function(r)
  r:train { model = m, data = d, batch = 8, steps = 1, parallel = { recompute = "minimal" } }
end)
