-- expect: give epochs or steps or tokens, not more than one
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:train { model = models.resnet50, data = data, batch = 256, epochs = 1, steps = 10 }
end)
