-- NVIDIA DeepLearningExamples, ResNet50 v1.5 for PyTorch (PyTorch/Classification/ConvNets/resnet50v1.5/README.md),
-- "Training performance: NVIDIA DGX-1 16GB (8x V100 16GB)", 8 GPUs, mixed precision: 8322 img/s
-- (pytorch-21.03 NGC container).
--
-- Published facts used: ResNet-50 v1.5 on ImageNet-1k; the 8 V100 SXM2 16 GB of a DGX-1 (NVLink hybrid cube mesh); mixed precision (AMP, fp16
-- tensor cores); batch 256 per GPU for AMP on DGX1V (configs.yml in the same directory); SGD with momentum 0.875;
-- DALI on the CPU for input ("--data-backends dali-cpu" recommended for DGX-1).  Host CPUs are not modelled.
local dgx1 = cluster { accelerator = gpu { sku = "V100-SXM2-16GB", count = 8, per_node = 8 } }
local imagenet = datasets.imagenet_1k {}

run(dgx1, function(r)
  r:provision(dgx1.accelerator)
  r:train { stack = "eager", model = models.resnet50, data = imagenet, batch = 8 * 256, epochs = 1, precision = "fp16",
            optimizer = "momentum" }
  r:release(dgx1.accelerator)
end)

published = {
  metric = "throughput", value = 8322,
  source = "NVIDIA DeepLearningExamples, PyTorch ResNet50 v1.5 README, Training performance: DGX-1 16GB, 8 GPUs, mixed precision",
  stack_evidence = "NVIDIA DeepLearningExamples README title: \"ResNet50 v1.5 For PyTorch\"",
  note = "Images per second, a benchmark of training steps (data loading included).",
}
