-- expect: data: expected a dataset, got table
-- A plain table is not a dataset: datasets come from dataset{} or datasets.*.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = models.resnet50, data = { samples = 10 }, precision = "bf16", batch = 1024, steps = 10 }
  r:release(pod.accelerator)
end)
