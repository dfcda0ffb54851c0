-- expect: :6: r:train: parallel.offload: expected one of
-- Offloading to a place that is not one of the two the model knows.
local box = cluster { accelerator = tpu { slice = "v6e-8" } }
local d = dataset { samples = 1000000, bytes = "1 GB", kind = "tokens" }
run(box, function(r)
  r:train { model = models.gpt { layers = 4, width = 1024, seq = 1024 }, data = d, batch = 8, steps = 1,
            parallel = { recompute = "minimal", offload = "disk" } }
end)
