-- expect: model.image holds 100, which ResNet-50 cannot use
-- ResNet-50 halves its input five times: an image side changed to one that is not a multiple of 32.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
local m = models.resnet50
m.image = 100
run(pod, function(r) r:train { model = m, data = data, batch = 64, steps = 1 } end)
