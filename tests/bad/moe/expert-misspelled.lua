-- expect: :8: r:train: parallel: unknown field experts; accepted: context, dp_overlap, expert, grad_precision, grad_reduce, offload, partition, pipeline, recompute, schedule, sequence_parallel, shard_group, tensor, tp_overlap, virtual, zero
-- A misspelled expert-parallel key: file:line and the accepted keys.
local box = cluster { accelerator = gpu { sku = "H100-SXM5-80GB", count = 16, per_node = 8, network = "3200 Gbit/s",
                                          price = "2 USD/device-hour" } }
local data = dataset { name = "tokens", samples = 100000, bytes = "1 GB", kind = "tokens" }
local m = models.gpt { name = "moe", layers = 4, width = 512, seq = 256, vocab = 1000, experts = 8, active_experts = 2 }
run(box, function(r)
  r:train { model = m, data = data, batch = 64, steps = 2, precision = "bf16", parallel = { experts = 8 } }
end)
