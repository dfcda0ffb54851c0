-- expect: v4 has no spot price in the catalog
-- Spot pricing the catalog does not list for v4.
local pod = cluster { accelerator = tpu { slice = "v4-8", pricing = "spot" } }
run(pod, function(r) r:provision(pod.accelerator) r:release(pod.accelerator) end)
