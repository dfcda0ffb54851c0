-- expect: string-metatable-loop.lua:3:
-- Every string method made to loop: the prelude's own string calls then loop too, under the budget.
getmetatable("").__index = function() while true do end end
local batch = param("batch", 256)
