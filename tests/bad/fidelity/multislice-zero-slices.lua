-- expect: :3: tpu: slices: expected a positive integer, got 0 (number)
-- Zero slices.
local pods = cluster { accelerator = tpu { slice = "v5e-256", slices = 0 } }
run(pods, function(r) r:provision(pods.accelerator) r:release(pods.accelerator) end)
