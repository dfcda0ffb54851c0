-- expect: coroutine-loop.lua:4:
-- An endless loop inside a coroutine the script made: coroutines inherit the hook.  (Budget or, on a slow machine, CPU limit.)
local co = coroutine.create(function()
  while true do end
end)
print(coroutine.resume(co))
