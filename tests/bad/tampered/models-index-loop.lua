-- expect: models-index-loop.lua:4:
-- The models catalog's metatable is reachable: a looping __index put there stays in the sandbox.
local mt = getmetatable(models)
mt.__index = function() while true do end end
local m = models.not_there
