local pod = cluster { accelerator = tpu { slice = "v3-8", pricing = "spot" },
  storage = bucket { read = "2 GB/s", write = "1 GB/s", price = "0.020 USD/GB-month", capacity = "10 TB" } }
local net = internet { bandwidth = "10 Gbit/s", egress_price = "0.09 USD/GB" }
local a = datasets.imagenet_1k { from = net }
local b = dataset { name = "exÿþÃtra", samples = 1000, bytes = "1 GB", from = net }
run(pod, function(r)
  r:download(a, { to = pod.storage, background = true })
  r:download(b, { to = "disk", background = true })
  r:join()
  r:provision(pod.accelerator)
  r:train { model = models.vit_b16, data = a, batch = 256, steps = 10, precision = "bf16", load = "stream" }
  r:release(pod.accelerator)
end)
