-- expect: :5: r:train: batch: unknown field final; accepted: 1, 2
-- A batch ramp is a list of segments: a named key beside them is a mistake, answered with the keys it accepts.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r)
  r:train { model = models.gpt { layers = 2, width = 256, seq = 128 }, data = dataset { samples = 100000, bytes = "1 GB", kind = "tokens" },
            batch = { {upto = "1000 samples", size = 8}, {size = 16}, final = 32 }, steps = 10 }
end)
