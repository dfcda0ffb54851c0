-- expect: storage full
-- exit: 3
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { disk = "100 GB" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:download(data)
end)
