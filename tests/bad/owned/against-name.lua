-- expect: :3: gpu: owned.against: expected the rented alternative as device{...} (or gpu{...}, tpu{...}, cpu{...}), got "p3.16xlarge"
-- The alternative is a machine, as the cluster's accelerator is, not its name.
local box = cluster { accelerator = gpu { instance = "DGX Station", owned = { against = "p3.16xlarge" } } }
run(box, function(r) r:wait("1 h") end)
