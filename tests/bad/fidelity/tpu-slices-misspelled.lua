-- expect: :3: tpu: unknown field slice_count; accepted: network, price, pricing, slice, slices
-- A misspelled multislice key: file:line and the accepted keys.
local pod = cluster { accelerator = tpu { slice = "v5e-256", slice_count = 16 } }
run(pod, function(r) r:provision(pod.accelerator) r:release(pod.accelerator) end)
