-- expect: storage full
-- exit: 3
-- The dataset does not fit on the hosts' disks.
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { disk = "10 GB" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r) r:download(data) end)
