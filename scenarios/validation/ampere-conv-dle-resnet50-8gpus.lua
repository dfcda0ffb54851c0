-- NVIDIA DeepLearningExamples, ResNet50 v1.5 for PyTorch (PyTorch/Classification/ConvNets/resnet50v1.5/README.md),
-- "Training performance: NVIDIA DGX A100 (8x A100 80GB)", 8 GPUs, mixed precision: 16621 img/s
-- (pytorch-21.03 NGC container).
--
-- Published facts used: ResNet-50 v1.5 on ImageNet-1k; the 8 A100 SXM4 80 GB of a DGX A100 (NVSwitch); mixed precision (AMP,
-- fp16 tensor cores); batch 256 per GPU for AMP on DGXA100 (configs.yml in the same directory); SGD with momentum;
-- DALI on the CPU for input.  Host CPUs are not modelled.
local dgxa100 = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8, per_node = 8,
                                              price = "0 USD/device-hour" } } -- cost is not validated here
local imagenet = datasets.imagenet_1k {}

run(dgxa100, function(r)
  r:provision(dgxa100.accelerator)
  r:train { stack = "eager", model = models.resnet50, data = imagenet, batch = 8 * 256, epochs = 1, precision = "fp16",
            optimizer = "momentum" }
  r:release(dgxa100.accelerator)
end)

published = {
  metric = "throughput", value = 16621,
  source = "NVIDIA DeepLearningExamples, PyTorch ResNet50 v1.5 README, Training performance: DGX A100 80GB, 8 GPUs, mixed precision",
  stack_evidence = "NVIDIA DeepLearningExamples README title: \"ResNet50 v1.5 For PyTorch\"",
  note = "Images per second, a benchmark of training steps (data loading included).",
}
