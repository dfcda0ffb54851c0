-- expect: coroutine-wrap-catch.lua:6:
-- coroutine.wrap and pcall cannot swallow the kill: the loop ends (budget or CPU limit, whichever comes
-- first).
local n = 0
while true do
  local f = coroutine.wrap(function() while true do n = n + 1 end end)
  pcall(f)
end
