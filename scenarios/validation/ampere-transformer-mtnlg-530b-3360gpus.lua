-- Megatron-Turing NLG 530B, Smith et al. 2022, "Using DeepSpeed and Megatron to Train Megatron-Turing NLG 530B",
-- arXiv 2201.11990, sec. 2.4 (system throughput): with global batch 1920 on 420 DGX A100 servers (3360 GPUs) the
-- iteration takes 44.4 s, i.e. 113 TFLOP/s per GPU.
--
-- Published facts used: 105 layers, hidden 20480, 128 heads, sequence 2048, vocabulary 50,272 (GPT-2 BPE, padded);
-- 8-way tensor slicing inside a node, 35-way pipeline, 12-way data parallelism; global batch 1920; mixed precision
-- (16-bit; the A100 peaks for fp16 and bf16 are equal), Adam; Selene DGX A100 80 GB servers (NVSwitch; 8 x 200 Gbit/s HDR InfiniBand per server).
-- Activation recomputation: implied (D) - the paper's 113 TFLOP/s at 44.4 s is the FLOP count with recomputation,
-- 96 B s l h^2 (1 + s/6h + V/16lh) = 1.69e19 per iteration.  Micro-batch size: not stated in sec. 2.4;
-- 1 is assumed (the usual choice for this model size; it sets the pipeline bubble).
local selene = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 3360, per_node = 8,
                                             network = "1600 Gbit/s", price = "0 USD/device-hour" } }
local pile = dataset { name = "the-pile+cc", samples = 165000000, bytes = "1.2 TB", kind = "tokens" }
-- Architecture (facts; no field chosen to move a prediction): 128 heads (the published facts above, arXiv
-- 2201.11990, Jan 2022, https://arxiv.org/abs/2201.11990), GELU MLP of 4 x hidden, embeddings tied (Megatron's
-- GPT).  The shape counts 529.5 B parameters, 0.09 % below the paper's 530 B.
local mtnlg = models.gpt { name = "mt-nlg-530b", layers = 105, width = 20480, seq = 2048, vocab = 50272,
                           heads = 128 }

-- Attention (r:train's `attention`): "fused_softmax": Megatron-LM of 2021 (NVIDIA/Megatron-LM 5c8238c343,
-- 2021-07-30, megatron/model/transformer.py) writes the scores with torch.baddbmm and runs scale, mask and
-- softmax in one FusedScaleMaskSoftmax kernel (on unless --no-masked-softmax-fusion), the dropout apart; the
-- paper predates FlashAttention (Dao et al. 2022).
run(selene, function(r)
  r:provision(selene.accelerator)
  r:train { stack = "eager", attention = "fused_softmax", model = mtnlg, data = pile, batch = 1920, micro_batch = 1, steps = 10, precision = "bf16",
            optimizer = "adam", parallel = { tensor = 8, pipeline = 35, zero = 1, recompute = true } }
  r:release(selene.accelerator)
end)

published = {
  metric = "step_time_s", value = 44.4,
  source = "Smith et al. 2022, MT-NLG 530B, arXiv 2201.11990, sec. 2.4 (44.4 s per iteration on 3360 A100)",
  stack_evidence = "MT-NLG, arXiv 2201.11990, title: \"Using DeepSpeed and Megatron to Train Megatron-Turing NLG 530B\"",
  note = "Measured iteration time. Micro-batch 1 and ZeRO-1 optimizer sharding are assumptions of the scenario.",
}
