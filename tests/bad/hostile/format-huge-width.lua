-- expect: invalid conversion
-- A format width past what string.format accepts.
local s = string.format("%99999d", 1)
