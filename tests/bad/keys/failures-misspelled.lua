-- expect: :5: r:train: failures: unknown field restart_time; accepted: mtbf, preemption, repair, restart, spares
-- A misspelled key of r:train{failures = ...}.
local d = dataset { name = "tiny", samples = 1000, bytes = "1 GB" }
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) r:train { model = models.resnet50, data = d, batch = 8, steps = 1, failures = { mtbf = "1 h", restart_time = "1 min" } } end)
