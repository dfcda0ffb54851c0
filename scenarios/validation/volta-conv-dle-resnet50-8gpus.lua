-- NVIDIA DeepLearningExamples, ResNet50 v1.5 for PyTorch (PyTorch/Classification/ConvNets/resnet50v1.5/README.md),
-- "Training performance: NVIDIA DGX-1 16GB (8x V100 16GB)", 8 GPUs, mixed precision: 8322 img/s
-- (pytorch-21.03 NGC container).
--
-- Published facts used: ResNet-50 v1.5 on ImageNet-1k; the 8 V100 SXM2 16 GB of a DGX-1 (NVLink hybrid cube mesh); mixed precision (AMP, fp16
-- tensor cores); batch 256 per GPU for AMP on DGX1V (configs.yml); SGD with momentum 0.875; input decoded by
-- PyTorch's DataLoader worker processes on the host CPUs (below).  Host CPUs are not modelled.
--
-- What the README's benchmark ran (DeepLearningExamples at commit 7bdfc81d, 2021-04-20, the commit that published
-- these figures): `launch.py --model resnet50 --precision AMP --mode benchmark_training --platform DGX1V`, which
-- merges configs.yml's entries for the platform, the model and the mode:
--   platform DGX1V: "workers: 8" (data-loading worker processes per GPU)
--   resnet50 / DGX1V / AMP: "batch_size: 256", "memory_format: nhwc", and from resnet_params_2k
--   "optimizer_batch_size: 2048" and resnet_params' "data_backend: pytorch" (torchvision's loader: JPEG decode
--   and augmentation in the worker processes on the host CPUs; no DALI);
-- main.py: "batch_size_multiplier = int(args.optimizer_batch_size / tbs)" with tbs = world_size x batch_size, and
-- training.py steps the optimizer when "((i + 1) % batch_size_multiplier) == 0":
-- on eight GPUs, 2048 / (8 x 256) = 1: no accumulation.
-- The throughput (training.py, utils.calc_ips) is world_size x batch_size / iteration time.
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
