-- expect: :3: gpu: owned.financing: expected the interest rate per year as a fraction from 0 to 1 (0.06 is 6 % a year), got 6 (number)
-- 6 meant 6 % a year: the rate is a fraction.
local box = cluster { accelerator = gpu { instance = "DGX Station", owned = { financing = 6 } } }
run(box, function(r) r:wait("1 h") end)
