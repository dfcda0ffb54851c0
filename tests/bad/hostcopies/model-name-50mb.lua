-- expect: model-name-50mb.lua:8: r:train: batch: expected a positive integer, got 0
-- A model named with 50 MB, trained 20 times: one short copy on the host each time.
local m = model { name = string.rep("M", 50 * 2^20), params = 25e6, flops = "8 GFLOP", activations = "40 MB" }
local d = dataset { name = "tiny", samples = 1024, bytes = "1 MB", from = internet {} }
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { disk = "1 PB" } }
run(pod, function(r)
  for i = 1, 20 do r:train { model = m, data = d, precision = "bf16", batch = 1024, steps = 1 } end
  r:train { model = m, data = d, batch = 0, steps = 1 }
end)
