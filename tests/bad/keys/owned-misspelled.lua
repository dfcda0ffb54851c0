-- expect: :3: gpu: owned: unknown field utilization; accepted: against, financing, life, price, utilisation
-- A misspelled key of gpu{owned = ...} (here the American spelling): file:line and the accepted keys.
local box = cluster { accelerator = gpu { instance = "DGX Station", owned = { utilization = 0.5 } } }
run(box, function(r) r:wait("1 h") end)
