-- expect: newindex-loop-on-cluster.lua:4:
-- A looping __newindex on the cluster table.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
setmetatable(pod, { __newindex = function() while true do end end })
pod.extra = 1
