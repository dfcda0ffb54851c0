-- BERT-large pre-training on TPU v3, You et al. 2019, "Large Batch Optimization for Deep Learning: Training BERT
-- in 76 minutes" (LAMB), arXiv 1904.00962, Table 1 row "Our Method, 4k, 125k":
-- batch 4096, 125000 iterations, 128 TPU v3 chips, time 693.6 min.
--
-- Published facts used: BERT-large (24 layers, hidden 1024, 16 heads, WordPiece vocabulary 30,522; Devlin et al.
-- 2019), pre-trained on Wikipedia + BooksCorpus; "the first 90 percent training epochs use sequence length 128,
-- the last 10 percent use sequence length 512" (LAMB paper sec. 4.1, following Devlin et al.), so 90 % of the
-- iterations run at 128 and 10 % at 512 with the same batch; 128 TPU v3 chips = slice v3-256
-- (the table's "TPUs" are chips: the paper's introduction calls the 16-TPU baseline "16 TPUv3 chips");
-- optimizer lamb; bfloat16 on the TPU.  The TPU hosts' CPUs are not stated: the input pipeline is not modelled.
local pod = cluster { accelerator = tpu { slice = "v3-256" } }
-- Wikipedia (2,500 M words) + BooksCorpus (800 M words) as sequences; only the step count matters here.
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
  r:train { stack = "compiled", model = bert128, data = corpus, batch = 4096, steps = 112500, precision = "bf16", optimizer = "lamb" }
  r:train { stack = "compiled", model = bert512, data = corpus, batch = 4096, steps = 12500, precision = "bf16", optimizer = "lamb" }
  r:release(pod.accelerator)
end)

published = {
  metric = "time_s", value = 693.6 * 60,
  source = "You et al. 2019, LAMB, arXiv 1904.00962, Table 1 (Our Method, 4k, 125k)",
  stack_evidence = "You et al. 2019, arXiv 1904.00962, introduction: \"16 TPUv3 chips\"",
  note = "Training wall time as tabulated (693.6 min); the two sequence-length phases are modelled as two trainings.",
}
