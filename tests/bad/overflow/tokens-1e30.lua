-- expect: tokens-1e30.lua:7: the simulation passed its horizon of 100 years
-- 10^30 tokens of a small GPT.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local text = dataset { name = "text", samples = 1e6, bytes = "1 GB", kind = "tokens" }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = models.gpt { layers = 2, width = 128, seq = 128 }, data = text, precision = "bf16", batch = 64, tokens = 1e30 }
end)
