-- expect: :3: gpu: owned.utilisation: expected a fraction such as 0.25 (busy a quarter of its life), got "50 %"
-- A fraction, not a percentage in a string.
local box = cluster { accelerator = gpu { instance = "DGX Station", owned = { utilisation = "50 %" } } }
run(box, function(r) r:wait("1 h") end)
