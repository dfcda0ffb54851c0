-- expect: :4: gpu: owned.life: expected a service life above zero and at most 100 years, such as "4 years", got "-2 years"
-- A service life below zero is a mistake, not a machine that pays for itself.
local box = cluster {
  accelerator = gpu { instance = "DGX Station", owned = { life = "-2 years" } },
}
run(box, function(r) r:wait("1 h") end)
