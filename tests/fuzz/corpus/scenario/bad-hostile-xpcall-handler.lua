-- expect: xpcall-handler.lua:4: instruction budget of
-- The kill calls the message handler with hooks off: the sandbox does not run it once killed.
while true do
  xpcall(function() while true do end end, function(msg) while true do end end)
end
