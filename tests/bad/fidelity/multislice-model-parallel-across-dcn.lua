-- expect: tensor x pipeline x context parallel = 16 does not divide the 8 chips of one slice (of 2): model-parallel groups would cross the data-centre network
-- Tensor-parallel groups larger than a slice would cross the DCN, which is not modelled.
local pods = cluster { accelerator = tpu { slice = "v5e-8", slices = 2 } }
local data = dataset { name = "tokens", samples = 1000000, bytes = "8 GB", kind = "tokens" }
local m = models.gpt { name = "gpt-1b", layers = 24, width = 2048, seq = 2048, vocab = 32000 }
run(pods, function(r)
  r:provision(pods.accelerator)
  r:train { model = m, data = data, batch = 16, steps = 2, precision = "bf16", parallel = { tensor = 16 } }
  r:release(pods.accelerator)
end)
