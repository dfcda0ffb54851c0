-- MosaicML llm-foundry, scripts/train/benchmarking/README.md, table "A100 80GB with 1600 Gbps node-node interconnect (RoCE)":
-- MPT-70b, sequence 2048, 64 GPUs, micro-batch 8, gradient accumulation 4, global batch 2048, precision bf16 (PURE),
-- FSDP FULL_SHARD, activation checkpointing True, throughput 26274 tokens/s (MFU 53.33 %), NumParams 64862437376.
--
-- Published facts used: the table row above; the MPT-70b shape (d_model 8192, 80 layers, vocabulary 50,368) is the
-- repository's model configuration and reproduces NumParams (12 L d^2 + V d); bf16; decoupled AdamW; FSDP full
-- sharding = ZeRO stage 3.
-- Network: 1600 Gbit/s per node, as the table heading states.
-- Compared as sequences per second for the job: 26274 tokens/s / 2048.
local nodes = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 64, per_node = 8, network = "1600 Gbit/s", 
                                             price = "0 USD/device-hour" } } -- cost is not validated here
local c4 = dataset { name = "c4", samples = 356000000, bytes = "800 GB", kind = "tokens" }
-- Architecture (facts; no field chosen to move a prediction): n_heads 64, expansion_ratio 4 (FFN 4 x d_model,
-- GELU, not gated), tied embeddings: mosaicml/llm-foundry scripts/train/yamls/pretrain/mpt-70b.yaml
-- (https://github.com/mosaicml/llm-foundry, read 2026-12-06).  The layer list has no learned position table or
-- biases: it holds 0.04 % fewer parameters than NumParams.
local mpt = models.gpt { name = "mpt-70b", layers = 80, width = 8192, seq = 2048, vocab = 50368, params = 64862437376,
                         heads = 64 }

run(nodes, function(r)
  r:provision(nodes.accelerator)
  -- Optimizer: the model's yaml (scripts/train/yamls/pretrain/mpt-*.yaml) sets `optimizer: name: decoupled_adamw`,
  -- Composer's DecoupledAdamW, whose update is a Python loop of tensor operations per parameter ("for i, param
  -- in enumerate(params): ... exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)",
  -- composer/optim/decoupled_weight_decay.py).
  r:train { stack = "eager", model = mpt, data = c4, batch = 2048, micro_batch = 8, steps = 10, precision = "bf16",
            optimizer = "adamw", optimizer_impl = "for-loop", parallel = { zero = 3, recompute = true } }
  r:release(nodes.accelerator)
end)

published = {
  metric = "throughput", value = 26274 / 2048,
  source = "MosaicML llm-foundry, scripts/train/benchmarking/README.md (A100 80GB with 1600 Gbps node-node interconnect (RoCE): 70b, seq 2048, 64 GPUs)",
  stack_evidence = "llm-foundry README: \"code for training, finetuning, evaluating, and deploying LLMs for inference with Composer\"",
  note = "Benchmark throughput over a few steps (26274 tokens/s, MFU 53.33 %).",
}
