-- A 16B-parameter Llama-style decoder (MaxText global_parameter_scale=16) on 256 TPU v5e chips (one v5e-256
-- slice):
-- Google's published MaxText step throughput, table row "1x v5e-256" (TPU v5e).
-- stack: compiled (MaxText: JAX through XLA, outside MLPerf).
--
-- Source: google/maxtext at commit f586e43f7ee92c701515fe0a2db17dc50f18dc81 as vendored in
-- mlcommons/training_results_v4.0 Google/benchmarks/gpt3/implementations/maxtext/maxtext_fork: README.md, "Runtime
-- Performance Results", "## TPU v5e" (the same table as MaxText/configs/v5e/README.md)
--   | Hardware | 16B TFLOP/sec/chip | 16B MFU | 32B TFLOP/sec/chip | 32B MFU | 64B ... | 128B ... |
--   | 1x v5e-256  | 120 | 61.10%  | 132 | 66.86%  | 118 | 59.90%  | 110 | 56.06% |
--   -> 16B on 1x v5e-256: 120 TFLOP/sec/chip, MFU 61.10%.
-- Config (MaxText/configs/v5e/16b.sh, the table's "full run configs"):
--   global_parameter_scale=16 per_device_batch_size=6 remat_policy=full max_target_length=2048
--   attention='flash' dataset_type=synthetic
-- Model (MaxText/configs/base.yml and pyconfig.py get_individual_scales at that commit): decoder_block "llama2",
-- base_emb_dim 2048, base_num_query_heads = base_num_kv_heads 16, base_mlp_dim 7168, base_num_decoder_layers 16,
-- head_dim 128, vocab_size 32000, mlp_activations ["silu", "linear"], logits_via_embedding False,
-- dtype bfloat16, opt_type adamw, ici_fsdp_parallelism -1 (all remaining chips); scale 16 multiplies them to
-- emb_dim 4096, 64 query and 64 kv heads, mlp_dim 28672, 32 layers (D).
-- Parameters (D): per layer q,o 4096 x 8192 x 2 + k,v 4096 x 8192 x 2
-- + 3 x 4096 x 28672 (gated MLP) + 2 norms x 4096; embedding and output projection 2 x 32000 x 4096;
-- final norm 4096: N = 15831666688.
-- Compared as the time of one step (D): train.py calculate_training_tflops counts, per device and step,
-- 6 N x 2048 x per_device_batch_size + 12 x heads x layers x head_dim x 2048^2 x per_device_batch_size / 2
-- = 1206.820 TFLOP; at 120 TFLOP/s per chip one step takes 10.0568 s.
-- Global batch = 256 chips x 6 = 1536 sequences of 2048 tokens (D).
-- The attention width (64 heads x 128 = 8192) differs from emb_dim 4096: models.gpt takes head_dim = 128,
-- so the parameters and the attention scores are counted at that width.
-- Approximations: MaxText shards weights, gradients and optimizer
-- state over the fsdp axis (zero = 3).
-- Recomputation (2026-12-07): remat_policy=full is MaxText's policy None under jax.checkpoint (get_remat_policy:
-- "assert cfg.remat_policy == 'full'" ... "policy = None"): parallel.recompute = "full", the layer's input kept,
-- every product the backward pass needs re-run (not the FFN's down one, which XLA drops); docs/model.md,
-- "Recomputation policies".
local pod = cluster { accelerator = tpu { slice = "v5e-256" } }
local synthetic = dataset { name = "synthetic (MaxText dataset_type=synthetic)", samples = 30720, bytes = "251658240 B",
                            kind = "tokens" }
-- Architecture (the Model lines above; facts, no field chosen to move a prediction): 64 query and key/value
-- heads of head_dim 128, gated MLP (silu x linear) of 28672, output projection not tied (logits_via_embedding
-- False).  This shape counts the N above exactly.
local m = models.gpt { name = "maxtext-16b", layers = 32, width = 4096, seq = 2048, vocab = 32000,
                       params = 15831666688,
                       heads = 64, kv_heads = 64, head_dim = 128, ffn = 28672, gated = true,
                       tied_embeddings = false }

run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { stack = "compiled", model = m, data = synthetic, batch = 1536, steps = 20, precision = "bf16", optimizer = "adamw",
            parallel = { zero = 3, recompute = "full" } }
  r:release(pod.accelerator)
end)

published = {
  metric = "step_time_s", value = 10.0568,
  source = "google/maxtext README.md, \"Runtime Performance Results\" (commit f586e43f7ee92c701515fe0a2db17dc50f18dc81, vendored in mlcommons/training_results_v4.0 Google/benchmarks/gpt3/implementations/maxtext/maxtext_fork), TPU v5e table, 1x v5e-256",
  note = "D: MaxText's TFLOP per device and step (1206.820) / the published 120 TFLOP/s per chip (header). "
      .. "Synthetic data; the published figure is a steady-state step rate.",
  stack_evidence = "google/maxtext README.md at f586e43f: \"LLM written in pure Python/Jax and targeting Google Cloud TPUs\" ... \"thanks to the power of Jax and the XLA compiler\"",
}
