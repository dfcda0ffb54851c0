-- expect: :6: r:train: eval.samples: expected a positive integer, got 0 (number)
-- An evaluation pass of no samples is a mistake, not a free evaluation.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:train { model = models.resnet50, data = data, precision = "bf16", batch = 1024, steps = 10, eval = { every = "100 steps", samples = 0 } }
end)
