-- expect: finalizer-added-later.lua: finalizers are not run
-- __gc added to a metatable after setmetatable is never called in Lua 5.4.
local mt = {}
local t = setmetatable({}, mt)
mt.__gc = function() while true do end end
t = nil
collectgarbage()
error("finalizers are not run", 0)
