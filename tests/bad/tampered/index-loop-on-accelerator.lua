-- expect: index-loop-on-accelerator.lua:5:
-- A metatable whose __index loops: the loop runs in the sandbox, under its budget (or its CPU limit), never in
-- the host.
local acc = tpu { slice = "v3-8" }
setmetatable(acc, { __index = function() while true do end end })
local pod = cluster { accelerator = acc }
