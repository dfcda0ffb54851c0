-- expect: eval-every-epoch-for-1e9-epochs.lua:7: simulation event budget of 1000000 events exceeded
-- An evaluation after each of 10^9 one-step epochs.
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { disk = "1 PB" } }
local data = dataset { name = "tiny", samples = 1024, bytes = "1 MB", from = internet {}, eval_samples = 1024 }
run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = models.resnet50, data = data, precision = "bf16", batch = 1024, epochs = 1e9,
            eval = { every = "1 epoch" } }
end)
