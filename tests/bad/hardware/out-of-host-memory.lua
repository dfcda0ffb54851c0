-- expect: out of host memory
-- exit: 3
-- load = "all" puts ImageNet in 64 GB of host RAM.
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { ram = "64 GB", disk = "1 TB" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:download(data)
  r:train { model = models.resnet50, data = data, precision = "bf16", batch = 1024, steps = 10, load = "all" }
end)
