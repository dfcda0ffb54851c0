-- expect: :3: gpu: owned: terms of ownership need pricing = "owned", got pricing = "on-demand"
-- Terms of ownership on a rented machine are a contradiction, not something to ignore.
local box = cluster { accelerator = gpu { instance = "p3.16xlarge", pricing = "on-demand", owned = { utilisation = 0.5 } } }
run(box, function(r) r:wait("1 h") end)
