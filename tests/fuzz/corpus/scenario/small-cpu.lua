local c = cluster { accelerator = cpu { sku = "EPYC-9654", sockets = 2, price = "3 USD/node-hour" }, host = { ram = "768 GB", disk = "2 TB" } }
local d = dataset { samples = 5000, bytes = "500 MB", eval_samples = 100, from = internet {} }
run(c, function(r)
  r:provision(c.accelerator)
  r:download(d)
  r:train { model = model { params = 1e6, flops = "2 GFLOP", activations = "10 MB", workload = "conv" }, data = d,
    batch = 32, epochs = 2, eval = { every = "1 epochs" } }
  r:release(c.accelerator)
end)
