-- expect: :4: gpu: owned.utilisation: expected the fraction of its service life the machine is busy, above 0 and at most 1, got 1.5 (number)
-- Busy more than all of its life: a percentage written as a fraction's place, or a typo.
local box = cluster {
  accelerator = gpu { instance = "DGX Station", owned = { utilisation = 1.5 } },
}
run(box, function(r) r:wait("1 h") end)
