-- expect: :3: model: expert_params (2e+09) exceeds params (1e+09)
-- More parameters in the experts than in the model (checked in C, whatever the prelude does).
local m = model { name = "moe", params = 1e9, flops = "1 TFLOP", activations = "1 GB", experts = 8, expert_params = 2e9 }
local c = cluster { accelerator = gpu { sku = "H100-SXM5-80GB", count = 1, price = "2 USD/device-hour" } }
run(c, function(r)
  r:train { model = m, data = dataset { name = "t", samples = 1000, bytes = "1 GB", kind = "tokens" }, batch = 8, steps = 1 }
end)
