-- Megatron-LM, Shoeybi et al. 2019, "Megatron-LM: Training Multi-Billion Parameter Language Models Using Model
-- Parallelism", arXiv 1909.08053, abstract: "...a strong single GPU baseline that sustains 39 TeraFLOPs, which is
-- 30% of peak FLOPs"; sec. 5.1 and Table 1: the baseline is the 1.2 B-parameter GPT-2 (hidden 1536, 16 heads,
-- 40 layers) on one GPU, batch 8, sequence 1024, vocabulary 51,200 (padded), mixed precision, activation
-- checkpointing after every transformer layer, Adam; DGX-2H servers (V100 SXM3 32 GB).
--
-- The published figure is a FLOP rate; it is compared as the time of one iteration (D): Megatron counts
-- 96 B s l h^2 (1 + s/6h + V/16lh) FLOPs per iteration (written out in Narayanan et al. 2021, eq. 3; that the
-- 2019 paper counted the same way, recomputation included, is assumed), = 8.63e13 FLOPs for this model and
-- batch, / 39e12 FLOP/s = 2.214 s.
-- The V100 of a DGX-2H is the SXM3 part (same peak as SXM2 32 GB, which the catalog holds).
local dgx2h = cluster { accelerator = gpu { sku = "V100-SXM2-32GB", count = 1,
                                            price = "0 USD/device-hour" } } -- cost is not validated here
local webtext = dataset { name = "webtext+wikipedia+cc-stories+realnews", samples = 100000000, bytes = "174 GB",
                          kind = "tokens" }
-- Architecture (facts; no field chosen to move a prediction): 16 heads (Table 1 above, arXiv 1909.08053, Sept
-- 2019, https://arxiv.org/abs/1909.08053), GELU MLP of 4 x hidden, tied embeddings (GPT-2).
local gpt2_1b2 = models.gpt { name = "gpt2-1.2b", layers = 40, width = 1536, seq = 1024, vocab = 51200,
                              heads = 16 }

-- Attention (r:train's `attention`): "unfused", as the code of the paper's time ran it (NVIDIA/Megatron-LM at
-- 93ab4bea59, 2019-09-12, mpu/transformer.py): the [b, np, s, s] scores from torch.matmul, then
-- "attention_scores / math.sqrt(...)", "torch.mul(attention_scores, ltor_mask) - 10000.0 * (1.0 - ltor_mask)",
-- "torch.nn.Softmax(dim=-1)" and the probabilities' dropout, each a PyTorch kernel.
-- Dropout (r:train's `dropout`): 0.1, the code's defaults (NVIDIA/Megatron-LM at 93ab4bea59, arguments.py:
-- "group.add_argument('--hidden-dropout', type=float, default=0.1," and "'--attention-dropout', type=float,
-- default=0.1,"; pretrain_gpt2.py: "embedding_dropout_prob=args.hidden_dropout,"); its GPT-2 scripts
-- (scripts/pretrain_gpt2*.sh) set neither.
run(dgx2h, function(r)
  r:provision(dgx2h.accelerator)
  r:train { stack = "eager", attention = "unfused", dropout = 0.1, model = gpt2_1b2, data = webtext, batch = 8, steps = 100, precision = "fp16", optimizer = "adam",
            parallel = { recompute = true } }
  r:release(dgx2h.accelerator)
end)

published = {
  metric = "step_time_s", value = 2.214,
  source = "Shoeybi et al. 2019, Megatron-LM, arXiv 1909.08053, abstract and Table 1 (39 TFLOP/s, 1.2B, 1 GPU)",
  stack_evidence = "Megatron-LM, arXiv 1909.08053, abstract: \"can be fully implemented with the insertion of a few communication operations in native PyTorch\"",
  note = "D: 39 TFLOP/s converted to seconds per iteration with Megatron's FLOP count (header).",
}
