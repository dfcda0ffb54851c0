-- A 128B-parameter Llama-style decoder (MaxText global_parameter_scale=128) on 256 TPU v5e chips (one v5e-256
-- slice):
-- Google's published MaxText step throughput, table row "1x v5e-256" (TPU v5e).
-- stack: compiled (MaxText: JAX through XLA, outside MLPerf).
--
-- Source: google/maxtext at commit f586e43f7ee92c701515fe0a2db17dc50f18dc81 as vendored in
-- mlcommons/training_results_v4.0 Google/benchmarks/gpt3/implementations/maxtext/maxtext_fork: README.md, "Runtime
-- Performance Results", "## TPU v5e" (the same table as MaxText/configs/v5e/README.md)
--   | Hardware | 16B TFLOP/sec/chip | 16B MFU | 32B TFLOP/sec/chip | 32B MFU | 64B ... | 128B ... |
--   | 1x v5e-256  | 120 | 61.10%  | 132 | 66.86%  | 118 | 59.90%  | 110 | 56.06% |
--   -> 128B on 1x v5e-256: 110 TFLOP/sec/chip, MFU 56.06%.
-- Config (MaxText/configs/v5e/128b.sh, the table's "full run configs"):
--   global_parameter_scale=128 per_device_batch_size=1 remat_policy=minimal_offloaded max_target_length=2048
--   ici_fsdp_parallelism=16 ici_tensor_parallelism=16
--   attention='flash' dataset_type=synthetic
-- Model (MaxText/configs/base.yml and pyconfig.py get_individual_scales at that commit): decoder_block "llama2",
-- base_emb_dim 2048, base_num_query_heads = base_num_kv_heads 16, base_mlp_dim 7168, base_num_decoder_layers 16,
-- head_dim 128, vocab_size 32000, mlp_activations ["silu", "linear"], logits_via_embedding False,
-- dtype bfloat16, opt_type adamw, ici_fsdp_parallelism -1 (all remaining chips); scale 128 multiplies them to
-- emb_dim 8192, 128 query and 128 kv heads, mlp_dim 57344, 64 layers (D).
-- Parameters (D): per layer q,o 8192 x 16384 x 2 + k,v 8192 x 16384 x 2
-- + 3 x 8192 x 57344 (gated MLP) + 2 norms x 8192; embedding and output projection 2 x 32000 x 8192;
-- final norm 8192: N = 125079396352.
-- Compared as the time of one step (D): train.py calculate_training_tflops counts, per device and step,
-- 6 N x 2048 x per_device_batch_size + 12 x heads x layers x head_dim x 2048^2 x per_device_batch_size / 2
-- = 1563.364 TFLOP; at 110 TFLOP/s per chip one step takes 14.2124 s.
-- Global batch = 256 chips x 1 = 256 sequences of 2048 tokens (D).
-- The attention width (128 heads x 128 = 16384) differs from emb_dim 8192: models.gpt takes head_dim = 128,
-- so the parameters and the attention scores are counted at that width.
-- Approximations: remat_policy=minimal_offloaded keeps some
-- activations and recomputes the rest and offloads saved activations to host memory; MaxText shards weights, gradients and optimizer state over the
-- fsdp axis (zero = 3).
-- Sequence parallelism (audit 2026-12-06): MaxText shards the activations between layers over the tensor axis
-- (google/maxtext MaxText/configs/base.yml, logical_axis_rules: ['activation_embed', 'tensor']), which is what
-- sequence parallelism does to them in memory and traffic: sequence_parallel = true.
-- Recomputation (2026-12-07): remat_policy=minimal_offloaded is parallel.recompute = "minimal", offload = "products"
-- (the vendored MaxText: offload_dot_with_no_batch_dims(offload_src="device", offload_dst="pinned_host"): every
-- weight product's output kept in host memory, the layer's input on the device); docs/model.md, "Recomputation
-- policies".
local pod = cluster { accelerator = tpu { slice = "v5e-256" } }
local synthetic = dataset { name = "synthetic (MaxText dataset_type=synthetic)", samples = 5120, bytes = "41943040 B",
                            kind = "tokens" }
-- Architecture (the Model lines above; facts, no field chosen to move a prediction): 128 query and key/value
-- heads of head_dim 128, gated MLP (silu x linear) of 57344, output projection not tied (logits_via_embedding
-- False).  This shape counts the N above exactly.
local m = models.gpt { name = "maxtext-128b", layers = 64, width = 8192, seq = 2048, vocab = 32000,
                       params = 125079396352,
                       heads = 128, kv_heads = 128, head_dim = 128, ffn = 57344, gated = true,
                       tied_embeddings = false }

run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { stack = "compiled", model = m, data = synthetic, batch = 256, steps = 20, precision = "bf16", optimizer = "adamw",
            parallel = { tensor = 16, sequence_parallel = true, zero = 3, recompute = "minimal", offload = "products" } }
  r:release(pod.accelerator)
end)

published = {
  metric = "step_time_s", value = 14.2124,
  source = "google/maxtext README.md, \"Runtime Performance Results\" (commit f586e43f7ee92c701515fe0a2db17dc50f18dc81, vendored in mlcommons/training_results_v4.0 Google/benchmarks/gpt3/implementations/maxtext/maxtext_fork), TPU v5e table, 1x v5e-256",
  note = "D: MaxText's TFLOP per device and step (1563.364) / the published 110 TFLOP/s per chip (header). "
      .. "Synthetic data; the published figure is a steady-state step rate.",
  stack_evidence = "google/maxtext README.md at f586e43f: \"LLM written in pure Python/Jax and targeting Google Cloud TPUs\" ... \"thanks to the power of Jax and the XLA compiler\"",
}
