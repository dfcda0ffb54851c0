-- expect: yearly-waits.lua:5: the simulation passed its horizon of 100 years
-- A wait of one year, 150 times: no one duration is too long, their sum is.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r)
  for i = 1, 150 do r:wait("1 year") end
end)
