-- expect: to: expected a bucket{...} or "disk", got "s3"
-- A download goes to a bucket or to the hosts' disks.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r) r:download(data, { to = "s3" }) end)
