-- expect: unpack-huge.lua:3: too many results to unpack
-- table.unpack of 10^8 values.
local a = table.unpack({}, 1, 1e8)
