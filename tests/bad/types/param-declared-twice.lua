-- expect: param "batch" is declared twice
-- Two params of one name would make --set ambiguous.
local a = param("batch", 1)
local b = param("batch", 2)
