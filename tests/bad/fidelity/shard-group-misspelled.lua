-- expect: :7: r:train: parallel: unknown field shard_groups; accepted: context, dp_overlap, expert, grad_precision, grad_reduce, offload, partition, pipeline, recompute, schedule, sequence_parallel, shard_group, tensor, tp_overlap, virtual, zero
-- A misspelled hybrid-sharding key: file:line and the accepted keys.
local pod = cluster { accelerator = tpu { slice = "v5e-256", slices = 2 } }
local data = dataset { name = "tokens", samples = 1000000, bytes = "8 GB", kind = "tokens" }
local m = models.gpt { name = "gpt-1b", layers = 24, width = 2048, seq = 2048, vocab = 32000 }
run(pod, function(r)
  r:train { model = m, data = data, batch = 512, steps = 2, precision = "bf16", parallel = { zero = 3, shard_groups = 256 } }
end)
