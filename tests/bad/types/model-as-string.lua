-- expect: model: expected models.<name> or model{...}, got "resnet50"
-- A model is a table from models.* or model{}, not its name.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = "resnet50", data = data, precision = "bf16", batch = 1024, steps = 10 }
  r:release(pod.accelerator)
end)
