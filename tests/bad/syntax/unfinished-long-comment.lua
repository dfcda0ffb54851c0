-- expect: unfinished long comment
-- A block comment that is never closed.
--[[ the plan
local x = 1
