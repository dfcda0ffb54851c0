-- expect: sort-invalid-order.lua:5: invalid order function for sorting
-- A comparator that is always true.
local t = {}
for i = 1, 1000 do t[i] = i end
table.sort(t, function(a, b) return true end)
