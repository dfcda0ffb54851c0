-- PENDING - not run by `trainsim validate` (see docs/validation.md, "Pending cases").
-- PaLM 540B, Chowdhery et al. 2022, "PaLM: Scaling Language Modeling with Pathways", arXiv 2204.02311:
-- 540.35 B parameters, 118 layers, d_model 18432, 48 heads (multi-query), vocabulary 256k, sequence 2048
-- (Table 1); 780 B tokens; batch 512 -> 1024 -> 2048 sequences (sec. 5); 6,144 TPU v4 chips in two pods of
-- 3,072 connected over the data-centre network (sec. 4); 46.2 % model FLOPs utilisation (Table 3).
--
-- Why pending: the TPU v4 catalog has no 3,072-chip slice and no data-centre-network bandwidth for v4, so two
-- pods joined over the DCN cannot be expressed.  The scenario names one published pod, "v4-6144" (3,072 chips;
-- v4 names count cores), which the catalog lacks, and cannot say "two of them": it fails until the catalog has
-- the slice and the scenario API and TPU plugin model multislice (then: 2 x v4-6144 over the DCN).
local pods = cluster { accelerator = tpu { slice = "v4-6144" } }
local corpus = dataset { name = "palm-780B", samples = 380859375, bytes = "3 TB", kind = "tokens" }
local palm = models.gpt { name = "palm-540b", layers = 118, width = 18432, seq = 2048, vocab = 256000,
                          params = 540.35e9 }

run(pods, function(r)
  r:provision(pods.accelerator)
  r:train { model = palm, data = corpus, batch = 2048, steps = 10, precision = "bf16", optimizer = "adam",
            parallel = { tensor = 12, zero = 3 } } -- PaLM: 12-way model parallel, 256-way FSDP per pod (sec. 4)
  r:release(pods.accelerator)
end)

published = {
  -- D: 46.2 % MFU x 275 TFLOP/s x 6,144 chips / (the paper's MFU count per token, 6 N + 12 L H Q T =
  -- 6 x 540.35e9 + 12 x 118 x 18432 x 2048 = 3.296e12 FLOPs) = 2.368e5 tokens/s = 115.6 sequences/s.
  metric = "throughput", value = 115.6,
  source = "Chowdhery et al. 2022, PaLM, arXiv 2204.02311, Table 3 (46.2 % MFU on 6,144 TPU v4)",
  note = "PaLM's 8.40 M chip-hours (D) include downtime and two hardware configurations; the MFU is compared.",
}
