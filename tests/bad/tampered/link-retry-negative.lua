-- expect: dataset.from.retry holds -1
-- A negative wait before reconnecting, set after internet{} checked it.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local net = internet { bandwidth = "1 Gbit/s", mtbf = "1 h" }
net.retry = -1
local data = datasets.imagenet_1k { from = net }
run(pod, function(r) r:download(data) end)
