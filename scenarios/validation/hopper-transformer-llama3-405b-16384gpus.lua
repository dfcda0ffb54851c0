-- Llama 3 405B, Llama Team (Meta) 2024, "The Llama 3 Herd of Models", arXiv 2407.21783, Table 4 ("Scaling
-- configurations and MFU for each stage of Llama 3 405B pre-training"): 16384 GPUs, TP 8, CP 1, PP 16, DP 128,
-- sequence 8,192, batch size per DP group 16, 16 M tokens per batch, 400 TFLOP/s per GPU, BF16 MFU 41 %.
--
-- Published facts used: 126 layers, model dimension 16,384, vocabulary 128,256, 405 B parameters (Table 3);
-- H100 80 GB, 8 per server on NVLink, 400 Gbit/s RoCE per GPU (sec. 3.3.1: 3200 Gbit/s per server); the layout of
-- Table 4; FSDP that shards optimizer state and gradients (sec. 3.3.2: ZeRO stage 2); "we could pre-train Llama 3
-- on sequences of 8K tokens without activation checkpointing" (sec. 3.3.2); AdamW; bf16.
-- Not published, assumed: micro-batch 1 sequence.
-- Derived: sequence parallelism with the tensor parallelism (the paper cites Korthikanti et al. for it, the
-- method that splits the norms' and dropouts' activations too): without it 8K sequences would not fit without
-- activation checkpointing, as the paper says they did (eq. 2 of Korthikanti et al.: about 220 GB per GPU).
-- Derived, not stated as a number: the interleaved schedule's V (pipeline stages per pipeline rank; bubble
-- (PP-1)/(V M), sec. 3.3.2).  The paper removes "one Transformer layer each from the first and the last stages",
-- which "means that the first model chunk on the first stage has only the embedding": a model chunk held one
-- layer, so each of the 16 ranks holds (126 + 2) / 16 = 8 chunks, V = 8.
--
-- Compared as the time of one step (D): MFU counts 6 N + 12 L d T FLOPs per token (Chowdhery et al. 2022, which
-- the paper cites for MFU) = 2.633e12; 400 TFLOP/s x 16384 GPUs / 2.633e12 = tokens/s; 16,777,216 tokens per step
-- -> 6.740 s.  The 30.84 M GPU-hours of the model card include downtime (466 interruptions in a 54-day snapshot,
-- sec. 3.3.4) and the long-context and annealing stages, so the throughput of this stage is compared instead.
local grand_teton = cluster { accelerator = gpu { sku = "H100-SXM5-80GB", count = 16384, per_node = 8,
                                                  network = "3200 Gbit/s", price = "0 USD/device-hour" } }
local corpus = dataset { name = "llama3-15.6T", samples = 1904296875, bytes = "60 TB", kind = "tokens" }
-- Architecture (facts; no field chosen to move a prediction): 128 attention heads, 8 key/value heads, FFN
-- dimension 53,248, SwiGLU (Table 3 and sec. 3.1 of arXiv 2407.21783, 31 July 2024, https://arxiv.org/abs/2407.21783);
-- output head not tied to the embedding (tie_word_embeddings false, meta-llama/Llama-3.1-405B config.json,
-- https://huggingface.co/meta-llama/Llama-3.1-405B, read 2026-12-06).  This shape counts 405,853,388,800
-- parameters, 0.21 % above the stated 405 B, which stays the aggregate count.
local llama405 = models.gpt { name = "llama3-405b", layers = 126, width = 16384, seq = 8192, vocab = 128256,
                              params = 405e9,
                              heads = 128, kv_heads = 8, ffn = 53248, gated = true,
                              tied_embeddings = false }

-- Stages (r:train's parallel.partition): "layers+embeddings": the paper removes "one Transformer layer each from
-- the first and the last stages" (quoted above), so the embedding and the output head each take a layer's place in
-- the split: a middle rank holds (126 + 2) / 16 = 8 layers, the last 7 and the head (docs/model.md). Stated
-- 2026-12-07 (thirty-third fit) with the option BLOOM's case introduced, as blackwell10's check found.
run(grand_teton, function(r)
  r:provision(grand_teton.accelerator)
  r:train { stack = "eager", model = llama405, data = corpus, batch = 2048, micro_batch = 1, steps = 10, precision = "bf16",
            optimizer = "adamw", parallel = { tensor = 8, pipeline = 16, virtual = 8, zero = 2,
                                                        sequence_parallel = true,
                                                        partition = "layers+embeddings" } }
  r:release(grand_teton.accelerator)
end)

published = {
  metric = "step_time_s", value = 6.740,
  source = "Llama Team 2024, The Llama 3 Herd of Models, arXiv 2407.21783, Table 4 (16384 GPUs, 400 TFLOP/s per GPU)",
  stack_evidence = "Llama 3, arXiv 2407.21783, sec. 3.3.2: \"fully sharded data parallelism (FSDP\"",
  note = "D: seconds per 16 M-token step from the stated TFLOP/s (header). Micro-batch 1 is assumed.",
}
