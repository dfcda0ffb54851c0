-- expect: :3: models.gpt: expert_ffn, shared_experts and dense_layers describe a mixture of experts: give experts (> 1) with them
-- Shared experts on a dense model.
local m = models.gpt { name = "dense", layers = 4, width = 512, shared_experts = 1 }
