-- expect: tostring-recursion.lua
-- print of a table whose __tostring calls itself.
local t = setmetatable({}, { __tostring = function(self) return tostring(self) end })
print(t)
