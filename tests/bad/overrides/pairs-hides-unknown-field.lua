-- expect: pairs-hides-unknown-field.lua:8: r:train: unknown field batchsize
-- A __pairs metamethod that hides the misspelt field: the prelude walks tables raw.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
local t = { model = models.resnet50, data = data, batch = 256, batchsize = 512, steps = 10 }
setmetatable(t, { __pairs = function() return next, { model = 1 } end })
run(pod, function(r)
  r:train(t)
end)
