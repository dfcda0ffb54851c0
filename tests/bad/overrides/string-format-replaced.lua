-- expect: string-format-replaced.lua:7: r:train: batch: expected a positive integer, got -3
-- string.format replaced by one that raises: the prelude's error messages are still its own.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
string.format = function() error("no messages for you") end
run(pod, function(r)
  r:train { model = models.resnet50, data = data, batch = -3, steps = 1 }
end)
