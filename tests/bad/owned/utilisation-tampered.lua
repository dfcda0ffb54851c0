-- expect: accelerator.utilisation holds 0, which the run cannot use
-- The host checks the terms again: a table changed after the prelude checked it is refused.
local acc = gpu { instance = "DGX Station", owned = { utilisation = 0.5 } }
acc.utilisation = 0
run(cluster { accelerator = acc }, function(r) r:wait("1 h") end)
