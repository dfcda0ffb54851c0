-- expect: unclosed-function.lua:6: 'end' expected (to close 'function' at line 4)
-- The run function is never closed.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r)
  r:provision(pod.accelerator)
