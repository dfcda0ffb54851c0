-- expect: collectgarbage("stop") is not allowed in the sandbox
-- Stopping the collector would let a script outgrow the memory cap between checks.
collectgarbage("stop")
local t = {}
for i = 1, 1e9 do t[i] = { i } end
