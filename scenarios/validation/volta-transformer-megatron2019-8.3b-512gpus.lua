-- Megatron-LM, Shoeybi et al. 2019, arXiv 1909.08053, abstract: "We sustain 15.1 PetaFLOPs across the entire
-- application with 76% scaling efficiency"; sec. 5.1 and Table 1: the 8.3 B-parameter GPT-2 (hidden 3072, 32
-- heads, 72 layers) with 8-way model (tensor) parallelism and 64-way data parallelism on 512 GPUs, global batch
-- 512, sequence 1024, vocabulary 51,200, mixed precision, activation checkpointing, Adam; 32 DGX-2H servers of 16
-- V100 (NVSwitch inside, "100 GB/sec of interconnect bandwidth between servers using 8 InfiniBand adapters per
-- server" = 800 Gbit/s per server).
--
-- Compared as the time of one iteration (D): Megatron's count 96 B s l h^2 (1 + s/6h + V/16lh) (Narayanan et al.
-- 2021, eq. 3; assumed to be the 2019 paper's count too) = 3.66e16 FLOPs per iteration / 15.1e15 FLOP/s = 2.423 s.
local dgx2h = cluster { accelerator = gpu { sku = "V100-SXM2-32GB", count = 512, per_node = 16,
                                            network = "800 Gbit/s", price = "0 USD/device-hour" } }
local webtext = dataset { name = "webtext+wikipedia+cc-stories+realnews", samples = 100000000, bytes = "174 GB",
                          kind = "tokens" }
-- Architecture (facts; no field chosen to move a prediction): 32 heads (Table 1 of arXiv 1909.08053, Sept 2019,
-- https://arxiv.org/abs/1909.08053: hidden 3072, 32 heads, 72 layers), GELU MLP of 4 x hidden, tied
-- embeddings (GPT-2).
local gpt2_8b3 = models.gpt { name = "gpt2-8.3b", layers = 72, width = 3072, seq = 1024, vocab = 51200,
                              heads = 32 }

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
  r:train { stack = "eager", attention = "unfused", dropout = 0.1, model = gpt2_8b3, data = webtext, batch = 512, steps = 100, precision = "fp16", optimizer = "adam",
            parallel = { tensor = 8, recompute = true } }
  r:release(dgx2h.accelerator)
end)

published = {
  metric = "step_time_s", value = 2.423,
  source = "Shoeybi et al. 2019, Megatron-LM, arXiv 1909.08053, abstract and Table 1 (15.1 PFLOP/s, 8.3B, 512 GPUs)",
  stack_evidence = "Megatron-LM, arXiv 1909.08053, abstract: \"can be fully implemented with the insertion of a few communication operations in native PyTorch\"",
  note = "D: 15.1 PFLOP/s converted to seconds per iteration with Megatron's FLOP count (header).",
}
