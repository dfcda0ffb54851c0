-- expect: :3: gpu: owned.life: expected a service life above zero and at most 100 years, such as "4 years", got 4 (number)
-- A bare number is seconds (SI): 4 seconds of service life is refused as the mistake it is.
local box = cluster { accelerator = gpu { instance = "DGX Station", owned = { life = 4 } } }
run(box, function(r) r:wait("1 h") end)
