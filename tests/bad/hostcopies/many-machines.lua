-- expect: many-machines.lua:8: r:wait: duration: expected a duration of zero or more
-- 60,000 CPU machines provisioned one after the other: each is a struct on the host, charged to the memory
-- cap, and found by id through an index (a walk over all machines on each provision took 30 s for 80,000).
-- All are provisioned, then the mistake on the last line is reported.
local box = cpu { sku = "Xeon-Platinum-8480+" }
run(cluster { accelerator = tpu { slice = "v3-8" } }, function(r)
  for i = 1, 60000 do r:provision(cpu { sku = "Xeon-Platinum-8480+" }) end
  r:wait("-1 s")
end)
