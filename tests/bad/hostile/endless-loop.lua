-- expect: endless-loop.lua:3:
-- A plain endless loop: the count hook stops it.  (Budget or, on a slow machine, CPU limit.)
while true do end
