-- expect: gc-finalizer.lua:3: setmetatable: metatables with a __gc field are not allowed
-- Finalizers run with hooks off, so this loop could never be stopped: refused at setmetatable.
local obj = setmetatable({}, {__gc = function() while true do end end})
obj = nil
collectgarbage()
