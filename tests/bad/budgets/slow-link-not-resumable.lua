-- expect: slow-link-not-resumable.lua:7: the simulation passed its horizon
-- The same link, and a download that starts over after every drop: it would never finish.
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { disk = "1 PB" } }
local data = dataset { name = "big", samples = 1024, bytes = "10 GB",
                       from = internet { bandwidth = "1 B/s", mtbf = "6 h" } }
run(pod, function(r)
  r:download(data, { resumable = false })
end)
