-- NVIDIA DeepLearningExamples, ResNet50 v1.5 for PyTorch (PyTorch/Classification/ConvNets/resnet50v1.5/README.md),
-- "Training performance: NVIDIA DGX-1 16GB (8x V100 16GB)", 1 GPU, mixed precision: 1200 img/s
-- (pytorch-21.03 NGC container).
--
-- Published facts used: ResNet-50 v1.5 on ImageNet-1k; one V100 SXM2 16 GB of a DGX-1; mixed precision (AMP, fp16
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
-- on one GPU, 2048 / 256 = 8 micro-batches of 256 per optimizer step (gradient accumulation), stated here as
-- batch = 2048, micro_batch = 256.
-- The throughput (training.py, utils.calc_ips) is world_size x batch_size / iteration time.
local dgx1 = cluster { accelerator = gpu { sku = "V100-SXM2-16GB", count = 1 } }
local imagenet = datasets.imagenet_1k {}

run(dgx1, function(r)
  r:provision(dgx1.accelerator)
  r:train { stack = "eager", model = models.resnet50, data = imagenet, batch = 2048, micro_batch = 256, epochs = 1,
            precision = "fp16", optimizer = "momentum" }
  r:release(dgx1.accelerator)
end)

published = {
  metric = "throughput", value = 1200,
  source = "NVIDIA DeepLearningExamples, PyTorch ResNet50 v1.5 README, Training performance: DGX-1 16GB, 1 GPU, mixed precision",
  stack_evidence = "NVIDIA DeepLearningExamples README title: \"ResNet50 v1.5 For PyTorch\"",
  note = "Images per second, a benchmark of training steps (data loading included).",
}
