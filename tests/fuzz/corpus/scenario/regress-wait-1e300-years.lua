local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r) r:provision(pod.accelerator) r:wait("1e300 year") r:wait(1e300) end)