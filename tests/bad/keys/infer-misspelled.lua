-- expect: :4: r:infer: unknown field sample; accepted: batch, model, precision, samples, stack
-- A misspelled key of r:infer.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) r:infer { model = models.resnet50, batch = 8, sample = 100 } end)
