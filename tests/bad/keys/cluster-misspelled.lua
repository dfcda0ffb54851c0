-- expect: :3: cluster: unknown field acclerator; accepted: accelerator, carbon, electricity, fabric, host, name, price, pue, scheduler, spares, storage
-- A misspelled key in cluster{} itself, answered at its line with the keys it accepts.
local pod = cluster { acclerator = tpu { slice = "v3-8" } }
run(pod, function(r) r:wait("1 h") end)
