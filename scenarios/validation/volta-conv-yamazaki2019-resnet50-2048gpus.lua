-- Yamazaki et al. (Fujitsu) 2019, "Yet Another Accelerated SGD: ResNet-50 Training on ImageNet in 74.7 seconds",
-- arXiv 1903.12650, abstract: "We achieved the training time of 74.7 seconds using 2,048 GPUs on ABCI cluster
-- ... The training throughput is over 1.73 million images/sec".  NVIDIA's post on the record ("Fujitsu Breaks
-- ImageNet Record with V100 Tensor Core GPUs"): "a very large mini-batch size of 81,920", MXNet, Tensor Cores for
-- mixed precision, LARS.
--
-- Published facts used: 2,048 Tesla V100 (SXM2 16 GB) of ABCI, 4 per node (512 nodes) with two InfiniBand EDR
-- (2 x 100 Gbit/s) per node (ABCI's published node spec, also in Mikami et al. 2018, Table 1); ResNet-50 on
-- ImageNet-1k; batch 81,920 = 40 images per GPU; fp16 mixed precision; LARS.  The throughput is compared (the
-- 74.7 s depends on the epoch count, which the abstract does not give).
local abci = cluster { accelerator = gpu { sku = "V100-SXM2-16GB", count = 2048, per_node = 4,
                                           network = "200 Gbit/s" } }
local imagenet = datasets.imagenet_1k {}

run(abci, function(r)
  r:provision(abci.accelerator)
  r:train { stack = "eager", model = models.resnet50, data = imagenet, batch = 81920, epochs = 1, precision = "fp16",
            optimizer = "lars" }
  r:release(abci.accelerator)
end)

published = {
  metric = "throughput", value = 1.73e6,
  source = "Yamazaki et al. 2019, arXiv 1903.12650, abstract (1.73 M images/s on 2,048 V100)",
  stack_evidence = "NVIDIA, \"Fujitsu Breaks ImageNet Record with V100 Tensor Core GPUs\" (paraphrased in the header: the record was set with MXNet)",
  note = "'over 1.73 million images/sec'; batch 81,920 from NVIDIA's account of the record.",
}
