-- expect: coroutine-close-catch.lua:
-- coroutine.close cannot swallow the kill either.
while true do
  local co = coroutine.create(function() while true do end end)
  coroutine.resume(co)
  coroutine.close(co)
end
