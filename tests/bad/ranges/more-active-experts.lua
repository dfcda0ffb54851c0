-- expect: active_experts (8) exceeds experts (4)
-- More experts active than exist.
local m = models.gpt { layers = 2, width = 64, experts = 4, active_experts = 8 }
