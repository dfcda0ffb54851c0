local n = param("n", 3)
local s = param("s", "x")
local b = param("b", true)
local t = {}
for i = 1, n do t[#t + 1] = string.rep(s, i) end
if b then print(table.concat(t, ",")) end
local ok, err = pcall(error, {code = 1})
local co = coroutine.wrap(function(x) coroutine.yield(x + 1) end)
print(co(1), math.random(1, 6), string.format("%q", 1/3), utf8.char(955))
local pod = cluster { accelerator = tpu { slice = "v4-8" }, price = "on-demand" }
run(pod, function(r) r:provision(pod.accelerator) r:wait(60) r:release(pod.accelerator) end)
