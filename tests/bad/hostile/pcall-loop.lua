-- expect: pcall-loop.lua:3:
-- pcall cannot swallow the kill: it is raised again when the inner call returns.  (Budget or, on a slow machine, CPU limit.)
while true do pcall(function() while true do end end) end
