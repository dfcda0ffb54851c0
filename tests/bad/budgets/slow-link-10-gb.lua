-- expect: slow-link-10-gb.lua:7: the simulation passed its horizon of 100 years of simulated time
-- 10 GB over a link of 1 byte per second that drops every 6 hours: 317 years of transfer (it once hung).
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { disk = "1 PB" } }
local data = dataset { name = "big", samples = 1024, bytes = "10 GB",
                       from = internet { bandwidth = "1 B/s", mtbf = "6 h" } }
run(pod, function(r)
  r:download(data)
end)
