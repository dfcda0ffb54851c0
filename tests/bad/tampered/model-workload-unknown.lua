-- expect: model.workload holds "quantum"
-- A workload the run model does not know, set after model{} checked it.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
local m = model { params = 25e6, flops = "8 GFLOP", activations = "40 MB", workload = "conv" }
m.workload = "quantum"
run(pod, function(r) r:train { model = m, data = data, batch = 64, steps = 1 } end)
