local g = cluster { accelerator = gpu { sku = "V100-SXM2-16GB", count = 1 } }
run(g, function(r)
  r:provision(g.accelerator, { startup = "2 min" })
  r:infer { model = models.resnet50, batch = 1, samples = 1000, precision = "fp16" }
  r:wait("10 min")
  r:release(g.accelerator)
end)
