-- expect: zero-waits.lua:5:
-- Ten million waits of no time: the instruction budget or the event budget ends it, at the line of the wait.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r)
  for i = 1, 1e7 do r:wait(0) end
end)
