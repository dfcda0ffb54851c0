-- expect: checkpoint-every-epoch-for-1e9-epochs.lua:7: simulation event budget of 1000000 events exceeded
-- A checkpoint after each of 10^9 one-step epochs: billions of events (it once ran past 60 s).
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { disk = "1 PB" } }
local data = dataset { name = "tiny", samples = 1024, bytes = "1 MB", from = internet {} }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = models.resnet50, data = data, precision = "bf16", batch = 1024, epochs = 1e9,
            checkpoint = { every = "1 epoch" } }
end)
