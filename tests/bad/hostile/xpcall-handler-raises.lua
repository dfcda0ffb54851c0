-- expect: xpcall-handler-raises.lua:4:
-- A message handler that raises again, in a loop.
local function h(e) error(e) end
while true do xpcall(function() while true do end end, h) end
