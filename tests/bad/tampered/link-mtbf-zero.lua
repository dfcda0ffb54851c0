-- expect: dataset.from.mtbf holds 0
-- A link that fails at every instant, set after internet{} checked it: the download would never end.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local net = internet { bandwidth = "1 Gbit/s", mtbf = "1 h" }
net.mtbf = 0
local data = datasets.imagenet_1k { from = net }
run(pod, function(r) r:download(data) end)
