-- expect: run: a scenario has one run(); it was already called
-- Two run() calls.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) end)
run(pod, function(r) end)
