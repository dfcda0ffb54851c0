-- expect: pcall-loop.lua:3: instruction budget of
-- pcall cannot swallow the kill: it is raised again when the inner call returns.
while true do pcall(function() while true do end end) end
