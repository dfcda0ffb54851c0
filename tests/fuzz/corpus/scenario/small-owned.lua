local box = cluster { accelerator = gpu { instance = "DGX Station", pricing = "owned" }, electricity = "0.15 USD/kWh" }
run(box, function(r)
  r:provision(box.accelerator)
  r:train { model = models.bert_large, data = datasets.imagenet_21k {}, batch = 32, tokens = 1e9, precision = "fp16",
    optimizer = "lamb", checkpoint = { every = "30 min", keep_every = 4, final = false } }
  r:release(box.accelerator)
end)
