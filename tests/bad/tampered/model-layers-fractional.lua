-- expect: model.layers holds 1.5
-- A model's layer count changed to a fraction after models.gpt checked it.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
local m = models.gpt { layers = 12, width = 768 }
m.layers = 1.5
run(pod, function(r) r:train { model = m, data = data, batch = 64, steps = 1 } end)
