-- expect: model.shared_experts (2) and model.expert_ffn (0) describe a mixture of experts, which this model is not (model.experts holds 0; expected more than 1)
-- Shared experts set on a dense model after models.gpt checked it: the C side checks the shape again.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = dataset { samples = 100000, bytes = "1 GB", kind = "tokens" }
local m = models.gpt { layers = 12, width = 1024, heads = 16, seq = 512 }
m.shared_experts = 2
run(pod, function(r) r:train { model = m, data = data, batch = 8, steps = 1 } end)
