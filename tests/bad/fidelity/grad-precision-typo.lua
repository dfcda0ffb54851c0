-- expect: :7: r:train: parallel.grad_precision: expected one of fp32, bf16, fp16, fp8, got "bfloat16"
-- An unknown gradient precision.
local pod = cluster { accelerator = tpu { slice = "v5e-256" } }
local data = dataset { name = "tokens", samples = 1000000, bytes = "8 GB", kind = "tokens" }
local m = models.gpt { name = "gpt-1b", layers = 24, width = 2048, seq = 2048, vocab = 32000 }
run(pod, function(r)
  r:train { model = m, data = data, batch = 512, steps = 2, precision = "fp32", parallel = { grad_precision = "bfloat16" } }
end)
