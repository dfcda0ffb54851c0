-- NVIDIA DeepLearningExamples, ResNet50 v1.5 for PyTorch (PyTorch/Classification/ConvNets/resnet50v1.5/README.md),
-- "Training performance: NVIDIA DGX A100 (8x A100 80GB)", 1 GPU, mixed precision: 2470 img/s
-- (pytorch-21.03 NGC container).
--
-- Published facts used: ResNet-50 v1.5 on ImageNet-1k; one A100 SXM4 80 GB of a DGX A100; mixed precision (AMP,
-- fp16 tensor cores); batch 256 per GPU for AMP on DGXA100 (configs.yml); SGD with momentum; input decoded by
-- PyTorch's DataLoader worker processes on the host CPUs (below).  Host CPUs are not modelled.
--
-- What the README's benchmark ran (DeepLearningExamples at commit 7bdfc81d, 2021-04-20, the commit that published
-- these figures): `launch.py --model resnet50 --precision AMP --mode benchmark_training --platform DGXA100`, which
-- merges configs.yml's entries for the platform, the model and the mode:
--   platform DGXA100: "workers: 16" (data-loading worker processes per GPU)
--   resnet50 / DGXA100 / AMP: "batch_size: 256", "memory_format: nhwc", and from resnet_params_2k
--   "optimizer_batch_size: 2048" and resnet_params' "data_backend: pytorch" (torchvision's loader: JPEG decode
--   and augmentation in the worker processes on the host CPUs; no DALI);
-- main.py: "batch_size_multiplier = int(args.optimizer_batch_size / tbs)" with tbs = world_size x batch_size, and
-- training.py steps the optimizer when "((i + 1) % batch_size_multiplier) == 0":
-- on one GPU, 2048 / 256 = 8 micro-batches of 256 per optimizer step (gradient accumulation), stated here as
-- batch = 2048, micro_batch = 256.
-- The throughput (training.py, utils.calc_ips) is world_size x batch_size / iteration time.
local dgxa100 = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 1,
                                              price = "0 USD/device-hour" } } -- cost is not validated here
local imagenet = datasets.imagenet_1k {}

run(dgxa100, function(r)
  r:provision(dgxa100.accelerator)
  r:train { stack = "eager", model = models.resnet50, data = imagenet, batch = 2048, micro_batch = 256, epochs = 1,
            precision = "fp16", optimizer = "momentum" }
  r:release(dgxa100.accelerator)
end)

published = {
  metric = "throughput", value = 2470,
  source = "NVIDIA DeepLearningExamples, PyTorch ResNet50 v1.5 README, Training performance: DGX A100 80GB, 1 GPU, mixed precision",
  stack_evidence = "NVIDIA DeepLearningExamples README title: \"ResNet50 v1.5 For PyTorch\"",
  note = "Images per second, a benchmark of training steps (data loading included).",
}
