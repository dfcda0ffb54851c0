-- expect: xpcall-handler.lua:4:
-- The kill calls the message handler with hooks off: the sandbox does not run it once killed.  (Budget or, on a slow machine, CPU limit.)
while true do
  xpcall(function() while true do end end, function(msg) while true do end end)
end
