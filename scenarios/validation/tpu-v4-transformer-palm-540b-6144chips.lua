-- PaLM 540B, Chowdhery et al. 2022, "PaLM: Scaling Language Modeling with Pathways", arXiv 2204.02311.
-- stack: compiled (sec. 4: the Pathways client "launches JAX/XLA (XLA, 2019) work on remote servers that each
-- comprise a TPU pod").
--
-- Model (Table 1): 540.35 B parameters, 118 layers, d_model 18432, 48 heads (multi-query), vocabulary 256k,
-- sequence 2048; parallel attention and feed-forward layers, SwiGLU, shared input-output embeddings (sec. 2).
-- Hardware (sec. 4): "PaLM 540B is trained over two TPU v4 Pods connected over data center network (DCN) using a
-- combination of model and data parallelism. Each Pod has 3072 TPU v4 chips attached to 768 hosts."
-- -> 2 slices of 3,072 chips ("v4-6144": v4 names count TensorCores) over the DCN. The pod's shape is not
-- published; the catalog's 12x16x16 is derived (plugins/tpu/tpu.json, v4 notes).
-- Parallelism (sec. 4): "Each TPU v4 Pod contains a full copy of the model parameters, with each weight tensor
-- partitioned over 3072 chips using 12-way model parallelism and 256-way fully sharded data parallelism";
-- "two-way data parallelism at the pod level".
-- Rematerialisation (sec. 4): "one fully sharded activation tensor is saved from each layer. During the backward
-- pass, the rest of the activations are rematerialized" -> recompute = true; the saved tensor is "fully sharded"
-- (over the model axis too, not replicated on the 12 model-parallel chips) -> sequence_parallel = true.
-- Optimizer (sec. 5): "Adafactor optimizer ... without factorization. This is effectively equivalent to Adam"
-- -> optimizer = "adam" (first and second moments kept in full).
-- Throughput (sec. 4.1): "PaLM 540B achieves an average training throughput of 238.3K tokens/sec at the batch
-- size of 2048" -> 238,300 / 2,048 = 116.4 sequences/s (D).
-- Data-centre network: the v4 catalog figure (13.2 Gbit/s per chip) is derived from this paper's "aggregate
-- burst of 81 Tbps across all hosts" (an achieved rate, a lower bound on the NICs).
-- -> tensor = 12, zero = 3 with shard_group = 256 (sharded within a pod, replicated across the two).
-- Recomputation (2026-12-07): the paper's "only the input to each transformer layer is saved" (above) is JAX's remat
-- with nothing saveable: parallel.recompute = "full", which re-runs every product the backward pass needs (not the
-- FFN's down one); docs/model.md, "Recomputation policies".
local pods = cluster { accelerator = tpu { slice = "v4-6144", slices = 2 } }
-- The run trained 780 B tokens (Table 1 / sec. 3); the dataset's bytes only size host buffers.
local corpus = dataset { name = "palm-780B", samples = 380859375, bytes = "3 TB", kind = "tokens" }
-- Architecture (facts; no field chosen to move a prediction): Table 1 of arXiv 2204.02311 (April 2022,
-- https://arxiv.org/abs/2204.02311): 48 heads of d_head 256 (heads x d_head = 12288, not d_model), feed-forward
-- 4 x d_model = 73,728 with SwiGLU; sec. 2: multi-query attention (one key/value head shared by all heads),
-- shared input-output embeddings.  This shape counts 540,358,668,288 parameters (+0.002 % of 540.35 B).  The
-- "parallel" layer (attention and feed-forward read the same normed input) does the same products as the serial
-- one the layer list has; it lists two norms per layer where PaLM has one (2.2 M parameters).
local palm = models.gpt { name = "palm-540b", layers = 118, width = 18432, seq = 2048, vocab = 256000,
                          params = 540.35e9,
                          heads = 48, kv_heads = 1, head_dim = 256, ffn = 73728, gated = true }

run(pods, function(r)
  r:provision(pods.accelerator)
  r:train { stack = "compiled", model = palm, data = corpus, batch = 2048, steps = 10, precision = "bf16",
            optimizer = "adam", parallel = { tensor = 12, sequence_parallel = true, zero = 3, shard_group = 256, recompute = "full" } }
  r:release(pods.accelerator)
end)

published = {
  metric = "throughput", value = 116.4,
  source = "Chowdhery et al. 2022, PaLM, arXiv 2204.02311, sec. 4.1 (238.3K tokens/s at batch 2048 on 6,144 TPU v4)",
  note = "Average training throughput at the final batch size of 2048 sequences of 2048 tokens; the earlier batches "
      .. "of 512 and 1024 are not compared. PaLM's 8.40 M chip-hours include downtime and are not compared.",
  stack_evidence = "Chowdhery et al. 2022, sec. 4: \"launches JAX/XLA (XLA, 2019) work on remote servers that each comprise a TPU pod\"",
}
