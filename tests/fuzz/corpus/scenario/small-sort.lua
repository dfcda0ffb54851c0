local t = {}
for i = 1, 100 do t[i] = (i * 37) % 101 end
table.sort(t, function(a, b) return a > b end)
print(table.unpack(t, 1, 5))
table.insert(t, 1, 0) table.remove(t) print(#t, select("#", table.unpack(t)))
print(("x"):rep(3, "-"), string.find("aaa", "a-b"), collectgarbage("count") > 0)
