local t = setmetatable({}, {__index = function(t, k) return k end, __newindex = function() error("ro") end})
local acc = tpu { slice = "v3-8" }
setmetatable(acc, {__index = function() while true do end end})
local pod = cluster { accelerator = acc }
run(pod, function(r) r:provision(acc) r:release(acc) end)
