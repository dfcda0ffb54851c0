-- expect: link-fails-every-microsecond.lua:6: simulation event budget of 1000000 events exceeded
-- A connection that drops every microsecond: the download restarts for ever without simulated time passing
-- (it once ran until killed).  The event budget ends it, at the line of the download.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s", mtbf = "1 us", retry = "1 us" } }
run(pod, function(r) r:download(data) end)
