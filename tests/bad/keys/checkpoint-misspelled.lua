-- expect: :5: r:train: checkpoint: unknown field keep_last; accepted: async, every, final, keep, keep_every
-- A misspelled key of r:train{checkpoint = ...}.
local d = dataset { name = "tiny", samples = 1000, bytes = "1 GB" }
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) r:train { model = models.resnet50, data = d, batch = 8, steps = 1, checkpoint = { every = "1 steps", keep_last = 2 } } end)
