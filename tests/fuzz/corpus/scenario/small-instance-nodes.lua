local c = cluster { accelerator = gpu { instance = "p4d.24xlarge", nodes = 4 }, host = { cpu = "EPYC-9654", cpus = 48 } }
local data = datasets.imagenet_1k { from = internet {} }
local box = cpu { instance = "c5.xlarge" }
run(c, function(r)
  r:provision(box)
  r:download(data)
  r:release(box)
  r:provision(c.accelerator)
  r:train { model = models.resnet50, data = data, batch = 1024, epochs = 1, views = 2, input_cores = 16,
    failures = { preemption = "24 h" } }
  r:release(c.accelerator)
end)
