-- expect: coroutine-loop.lua:4: instruction budget of
-- An endless loop inside a coroutine the script made: coroutines inherit the hook.
local co = coroutine.create(function()
  while true do end
end)
print(coroutine.resume(co))
