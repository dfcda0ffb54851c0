-- expect: table-concat-range.lua:4: instruction budget of
-- table.concat over 2^40 indices of a table whose __index makes every one: charged up front.
local t = setmetatable({}, {__index = function() return "x" end})
local s = table.concat(t, "", 1, 2^40)
