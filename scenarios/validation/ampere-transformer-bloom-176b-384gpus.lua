-- BLOOM 176B, BigScience 2022 (arXiv 2211.05100), training setup as recorded by the team in
-- bigscience-workshop/bigscience, train/tr11-176B-ml/README.md: 384 A100 80 GB (48 nodes of 8, NVLink inside,
-- 4 Omni-Path links per node), TP=4, PP=12, DP=8, micro-batch 2, global batch 2048 sequences of 2048 tokens,
-- 70 layers, hidden 14336, 112 heads, vocabulary 250,880 (padded), bf16, ZeRO stage 1 (the BF16 optimizer),
-- activation checkpointing ("we use activation check-pointing"), AdamW.  The same README estimates the days
-- left as "105 * (tokens left) / (2048*2048*3600*24)", i.e. 105 s per iteration at batch 2048.
-- Cross-check (D): the paper's "156 TFLOPs" per GPU with the team's formula 8 x params x tokens gives 98.7 s.
--
-- The run's 1,082,990 GPU-hours include downtime and the batch-size ramp-up; the steady iteration time is
-- compared instead (the design's rule for GPU-hours that include downtime).
local jeanzay = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 384, per_node = 8,
                                              network = "400 Gbit/s", -- 4 x 100 Gbit/s Omni-Path per node
                                              price = "0 USD/device-hour" } }
local roots = dataset { name = "roots", samples = 170000000, bytes = "1.6 TB", kind = "tokens" }
-- Architecture (facts; no field chosen to move a prediction): 112 heads (the README above; the bigscience/bloom
-- model card, https://huggingface.co/bigscience/bloom, July 2022, read 2026-12-06: "70 layers, 112 attention
-- heads"), GELU MLP of 4 x hidden, embeddings tied.  The shape counts 176.24 B parameters; the card's
-- 176,247,271,424 adds the biases and the embedding LayerNorm (0.006 %).
local bloom = models.gpt { name = "bloom-176b", layers = 70, width = 14336, seq = 2048, vocab = 250880,
                           heads = 112 }

-- Attention (r:train's `attention`): "fused_softmax": the run's script (bigscience-workshop/bigscience,
-- train/tr11-176B-ml/tr11-176B-ml.slurm) passes "--abort-on-unmet-fused-kernel-constraints" to
-- Megatron-DeepSpeed, whose attention writes the scores with torch.baddbmm and runs scale, mask and softmax in
-- one fused kernel (megatron/model/fused_softmax.py), the dropout apart; no FlashAttention.
-- Dropout (r:train's `dropout`): 0.1, Megatron-DeepSpeed's defaults (bigscience-workshop/Megatron-DeepSpeed,
-- megatron/arguments.py: "group.add_argument('--attention-dropout', type=float, default=0.1," and
-- "'--hidden-dropout', type=float, default=0.1,"); the run's tr11-176B-ml.slurm sets neither.
-- Stages (r:train's parallel.partition): "layers+embeddings": tr11-176B-ml.slurm passes "--pp-partition-method
-- 'type:transformer|embedding'", with which DeepSpeed's PipelineModule balances the layers whose class name
-- matches (deepspeed/runtime/pipe/module.py, _find_layer_type: "typeregex = regex.compile(layername,
-- regex.IGNORECASE)"): the 70 transformer layers and the two EmbeddingPipe layers (the input embedding and the
-- tied output head), 72 over 12 stages.
run(jeanzay, function(r)
  r:provision(jeanzay.accelerator)
  r:train { stack = "eager", attention = "fused_softmax", dropout = 0.1, model = bloom, data = roots, batch = 2048, micro_batch = 2, steps = 10, precision = "bf16",
            optimizer = "adamw", parallel = { tensor = 4, pipeline = 12, zero = 1, recompute = true,
                                                        partition = "layers+embeddings" } }
  r:release(jeanzay.accelerator)
end)

published = {
  metric = "step_time_s", value = 105,
  source = "bigscience-workshop/bigscience train/tr11-176B-ml/README.md (105 s per iteration at GBS 2048); BLOOM paper arXiv 2211.05100 (156 TFLOP/s)",
  stack_evidence = "BLOOM paper, arXiv 2211.05100, sec. 3.4: \"BLOOM was trained using Megatron-DeepSpeed\"",
  note = "The team's own steady-state iteration time; the paper's 156 TFLOP/s gives 98.7 s (6 % apart).",
}
