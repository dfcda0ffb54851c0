-- expect: endless-loop.lua:3: instruction budget of
-- A plain endless loop: the count hook stops it.
while true do end
