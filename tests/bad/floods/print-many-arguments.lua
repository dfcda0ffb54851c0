-- expect: print-many-arguments.lua:5: print output limit of 1 MiB exceeded
-- print with 200,000 arguments, twice.
local t = {}
for i = 1, 200000 do t[i] = "arg" end
for i = 1, 2 do print(table.unpack(t)) end
