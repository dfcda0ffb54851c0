-- expect: :5: r:train: unknown field optimiser; accepted: attention, batch, batch_norm, checkpoint, data, dropout, epochs, eval, failures, input_cores, load, micro_batch, mixed, model, optimizer, optimizer_impl, packing, padding, parallel, precision, stack, steps, stragglers, tokens, views
-- A misspelled key of r:train itself.
local d = dataset { name = "tiny", samples = 1000, bytes = "1 GB" }
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) r:train { model = models.resnet50, data = d, batch = 8, steps = 1, optimiser = "adam" } end)
