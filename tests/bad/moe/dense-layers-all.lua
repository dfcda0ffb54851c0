-- expect: :3: models.gpt: dense_layers (4) leaves none of the 4 layers with experts
-- Every layer dense: no mixture of experts is left.
local m = models.gpt { name = "moe", layers = 4, width = 512, experts = 8, active_experts = 2, dense_layers = 4 }
