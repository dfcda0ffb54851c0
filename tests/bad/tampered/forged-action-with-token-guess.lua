-- expect: not an r:... action
-- Yielding two values like the prelude does: the first must be the prelude's own token.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r)
  coroutine.yield({}, { op = "wait", where = "forged", duration = -1e300 })
end)
