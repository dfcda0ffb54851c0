-- expect: :4: gpu: owned.utilisation: expected the fraction of its service life the machine is busy, above 0 and at most 1, got 0 (number)
-- A machine never used would make each hour of use infinitely dear: utilisation is above 0.
local box = cluster {
  accelerator = gpu { instance = "DGX Station", owned = { utilisation = 0 } },
}
run(box, function(r) r:wait("1 h") end)
