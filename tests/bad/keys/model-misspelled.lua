-- expect: :3: model: unknown field activation; accepted: activations, active_experts, active_params, expert_params, experts, flops, heads, layers, moe_layers, name, params, seq, vocab, width, workload
-- A misspelled key in model{}.
local m = model { params = 1e8, flops = "1 GFLOP", activation = "1 MB" }
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) r:wait("1 h") end)
