-- Llama 2 70B (MaxText model llama2-70b) pre-training on 256 TPU v6e (Trillium) chips, one v6e-256 slice: Google's
-- published MaxText throughput, "Optimized models tiering", Trillium (v6e), Gold tier.
-- stack: compiled (MaxText: JAX through XLA, outside MLPerf).
--
-- Source: AI-Hypercomputer/maxtext docs/reference/models/tiering.md (stored snapshot at commit e591f30c, 2026-08-22;
-- the page was added 2025-11-24), table "## Trillium (v6e)", row | Llama 2 70B | ... | 256, BF16, SL=4096 | 43.8% |
-- 900 |  (columns: Model | Recipe | Benchmark Configuration | MFU | Approx tokens/sec/device). Footnote [1]:
-- "Performance results are subject to variations based on system configuration, software versions, and other
-- factors."
-- Recipe: the row's link, AI-Hypercomputer/tpu-recipes training/trillium/Llama2-70B-MaxText/README.md (read in the
-- stored fork mahdi-shafiei/tpu-recipes): maxtext@e7292a3a572792a0d797fc8977b21d0f255729f1, --device_type=v6e-256
-- --num_slices=1, --model_name="llama2_70b_4096". Configuration (benchmarks/maxtext_trillium_model_configs.py at
-- maxtext e7292a3a, llama2_70b_4096): "per_device_batch_size": 4, "ici_fsdp_parallelism": 1,
-- "ici_fsdp_transpose_parallelism": -1, "ici_tensor_parallelism": 1, "remat_policy": "full", "max_target_length":
-- 4096; synthetic data.
-- Model (maxtext src/maxtext/configs/models/llama2-70b.yml): base_emb_dim 8192, 64 query heads, 8 kv heads, head_dim
-- 128, base_mlp_dim 28672, 80 layers, mlp_activations ["silu","linear"], vocab_size 32000, logits_via_embedding
-- false; base.yml dtype bfloat16, opt_type adamw.
-- Parameters (D): 80 x (q,o 2 x 8192 x 8192 + k,v 2 x 8192 x 1024 + 3 x 8192 x 28672 + 2 norms x 8192) + embedding
-- and output 2 x 32000 x 8192 + final norm = 68976648192.
-- Compared as throughput (D): 900 tokens/s per chip x 256 chips / 4096 tokens per sequence = 56.250 sequences/s.
-- Global batch 256 chips x 4 = 1024 sequences (D).
-- Approximations: fsdp over all 256 chips is zero = 3;
-- "Approx" tokens/s is the table's own word.
-- Provenance (audit 2026-12-06): the figure is Google's own MaxText table (AI-Hypercomputer/maxtext), not Meta's
-- reports of its Llama pretraining runs (kept aside for independent checking); only the architecture is Meta's.
-- The model is stated by its shape (models.gpt takes kv_heads, ffn, gated, tied_embeddings since 93f8946); it counts
-- 68,976,648,192 parameters, the count this case first gave as params.
-- Recomputation (2026-12-07): remat_policy=full is MaxText's policy None under jax.checkpoint (get_remat_policy:
-- "assert cfg.remat_policy == 'full'" ... "policy = None"): parallel.recompute = "full", the layer's input kept,
-- every product the backward pass needs re-run (not the FFN's down one, which XLA drops); docs/model.md,
-- "Recomputation policies".
local pod = cluster { accelerator = tpu { slice = "v6e-256" } }
local synthetic = dataset { name = "synthetic (MaxText dataset_type=synthetic)", samples = 20480,
                            bytes = "335544320 B", kind = "tokens" }
local m = models.gpt { name = "llama2-70b", layers = 80, width = 8192, heads = 64, kv_heads = 8, ffn = 28672, gated = true,
                       tied_embeddings = false, seq = 4096, vocab = 32000 }

run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { stack = "compiled", model = m, data = synthetic, batch = 1024, steps = 20, precision = "bf16", optimizer = "adamw",
            parallel = { zero = 3, recompute = "full" } }
  r:release(pod.accelerator)
end)

published = {
  metric = "throughput", value = 56.250,
  source = "AI-Hypercomputer/maxtext docs/reference/models/tiering.md, Trillium (v6e) Gold table, Llama 2 70B (256, BF16, SL=4096, MFU 43.8%, approx 900 tokens/sec/device)",
  note = "D: 900 tokens/s per chip x 256 / 4096 tokens = sequences/s for the slice; steady-state synthetic-data rate.",
  stack_evidence = "AI-Hypercomputer/maxtext docs/reference/models/tiering.md: \"Fully Optimized Models certified to run with maximum efficiency on Cloud TPUs\"",
}
