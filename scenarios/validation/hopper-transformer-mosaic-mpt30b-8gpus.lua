-- MosaicML llm-foundry, scripts/train/benchmarking/README.md, table "H100 80GB BF16":
-- MPT-30b, sequence 2048, 8 GPUs, micro-batch 3, gradient accumulation 21, global batch 504, precision amp_bf16,
-- FSDP FULL_SHARD, activation checkpointing True, throughput 16022 tokens/s (MFU 38.11 %), NumParams 29975214080.
--
-- Published facts used: the table row above; the MPT-30b shape (d_model 7168, 48 layers, vocabulary 50,368) is the
-- repository's model configuration and reproduces NumParams (12 L d^2 + V d); bf16; decoupled AdamW; FSDP full
-- sharding = ZeRO stage 3.
-- One 8-GPU node: no network between nodes.
-- Compared as sequences per second for the job: 16022 tokens/s / 2048.
local nodes = cluster { accelerator = gpu { sku = "H100-SXM5-80GB", count = 8, per_node = 8, 
                                             price = "0 USD/device-hour" } } -- cost is not validated here
local c4 = dataset { name = "c4", samples = 356000000, bytes = "800 GB", kind = "tokens" }
-- Architecture (facts; no field chosen to move a prediction): n_heads 56, expansion_ratio 4 (FFN 4 x d_model,
-- GELU, not gated), tied embeddings: mosaicml/llm-foundry scripts/train/yamls/pretrain/mpt-30b.yaml
-- (https://github.com/mosaicml/llm-foundry, read 2026-12-06).  The layer list has no learned position table or
-- biases: it holds 0.06 % fewer parameters than NumParams.
local mpt = models.gpt { name = "mpt-30b", layers = 48, width = 7168, seq = 2048, vocab = 50368, params = 29975214080,
                         heads = 56 }

run(nodes, function(r)
  r:provision(nodes.accelerator)
  -- Optimizer: the model's yaml (scripts/train/yamls/pretrain/mpt-*.yaml) sets `optimizer: name: decoupled_adamw`,
  -- Composer's DecoupledAdamW, whose update is a Python loop of tensor operations per parameter ("for i, param
  -- in enumerate(params): ... exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)",
  -- composer/optim/decoupled_weight_decay.py).
  r:train { stack = "eager", model = mpt, data = c4, batch = 504, micro_batch = 3, steps = 10, precision = "bf16",
            optimizer = "adamw", optimizer_impl = "for-loop", parallel = { zero = 3, recompute = true } }
  r:release(nodes.accelerator)
end)

published = {
  metric = "throughput", value = 16022 / 2048,
  source = "MosaicML llm-foundry, scripts/train/benchmarking/README.md (H100 80GB BF16: 30b, seq 2048, 8 GPUs)",
  stack_evidence = "llm-foundry README: \"code for training, finetuning, evaluating, and deploying LLMs for inference with Composer\"",
  note = "Benchmark throughput over a few steps (16022 tokens/s, MFU 38.11 %).",
}
