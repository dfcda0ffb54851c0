-- expect: close-handler-loop.lua:4:
-- A to-be-closed variable whose __close loops: it runs with the hook on.
do
  local x <close> = setmetatable({}, { __close = function() while true do end end })
end
