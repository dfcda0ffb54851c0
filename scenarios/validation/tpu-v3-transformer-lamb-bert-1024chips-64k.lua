-- BERT-large pre-training on TPU v3, You et al. 2019, "Large Batch Optimization for Deep Learning: Training BERT
-- in 76 minutes" (LAMB), arXiv 1904.00962, Table 1 row "Our Method, 64k/32k, 8599 iterations, 1024 TPUs, 76.19m";
-- abstract: "LAMB with batch size 65536/32768 only needs 8599 iterations ... finish BERT training in 76 minutes".
--
-- Published facts used: BERT-large (24 layers, hidden 1024, WordPiece vocabulary 30,522); phase 1 at sequence
-- length 128 with batch 65,536, phase 2 at 512 with batch 32,768 (the "mixed-batch" run, sec. 4.1); the phases
-- hold 90 % and 10 % of the epochs (sec. 4.1), which with these batches splits the 8,599 iterations as
-- 7,034 + 1,565 (D: 0.9 S / 65,536 + 0.1 S / 32,768 = 8,599 gives S = 5.12e8 sequences; the split is derived, not
-- stated); 1024 TPU v3 chips = slice v3-2048; LAMB; bfloat16.
local pod = cluster { accelerator = tpu { slice = "v3-2048" } }
local corpus = dataset { name = "wikipedia+bookscorpus", samples = 26000000, bytes = "16 GB", kind = "tokens" }
-- Architecture (facts; no field chosen to move a prediction): BERT-large's encoder (Devlin et al. 2019, arXiv
-- 1810.04805, Oct 2018, https://arxiv.org/abs/1810.04805, sec. 3: L = 24, H = 1024, A = 16, feed-forward 4H),
-- bidirectional, post-norm, with the MLM and NSP heads (models.bert); until 2026-12-06 it was a causal
-- decoder of the same width (models.gpt), which has no encoder layer list.
local bert128 = models.bert { name = "bert-large-seq128", layers = 24, width = 1024, heads = 16, ffn = 4096,
                               seq = 128, vocab = 30522 }
local bert512 = models.bert { name = "bert-large-seq512", layers = 24, width = 1024, heads = 16, ffn = 4096,
                               seq = 512, vocab = 30522 }

run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { stack = "compiled", model = bert128, data = corpus, batch = 65536, steps = 7034, precision = "bf16", optimizer = "lamb" }
  r:train { stack = "compiled", model = bert512, data = corpus, batch = 32768, steps = 1565, precision = "bf16", optimizer = "lamb" }
  r:release(pod.accelerator)
end)

published = {
  metric = "time_s", value = 76.19 * 60,
  source = "You et al. 2019, LAMB, arXiv 1904.00962, Table 1 (Our Method, 64k/32k, 8599)",
  stack_evidence = "You et al. 2019, arXiv 1904.00962, introduction: \"16 TPUv3 chips\"",
  note = "Training wall time as tabulated (76.19 min).",
}
