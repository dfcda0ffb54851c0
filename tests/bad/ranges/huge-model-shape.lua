-- expect: layers: expected a positive integer of at most 2147483647
-- 2^40 layers: refused up front (the integer arithmetic for the parameter count used to wrap around to 0
-- FLOPs).
local m = models.gpt { layers = 2^40, width = 2^40, seq = 2^40 }
