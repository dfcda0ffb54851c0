-- ResNet-50 v1.5 (torchvision architecture)
-- on one NVIDIA H200 (141 GB), fp32 with TF32 off, batch 256: this project's own measurement, PyTorch 2.11.0+cu130.
-- stack: eager (PyTorch without torch.compile: bench/gpu/measure.py calls the nn.Module directly).
--
-- Source: docs/data/gpu-measure-h200.jsonl, line 8, written by `python3 bench/gpu/measure.py` on 2026-11-27
-- (docs/calibration-gpu.md):
--   {"model": "resnet50", "batch": 256, "precision": "fp32", "step_s": 0.24147249806666765,
--   "peak_bytes": 22484614656, "base_bytes": 329756160, "params": 25557032, "device": "NVIDIA H200",
--   "torch": "2.11.0+cu130"}
-- What was timed (bench/gpu/measure.py): 15 full steps after 4 warm-up steps, forward + backward + optimizer
-- (torch.optim.SGD with momentum 0.9), synthetic data already on the GPU,
-- torch.cuda.synchronize() around the timed loop;
-- channels-last, cuDNN benchmark mode, TF32 off (torch.backends.cuda.matmul.allow_tf32 = False).
-- Compared: step_s, the mean time of one step.
local box = cluster { accelerator = gpu { sku = "H200-SXM-141GB", count = 1, price = "0 USD/device-hour" } }
local synthetic = dataset { name = "synthetic images (torch.randn, 224x224)", samples = 3840,
                            bytes = "2312110080 B" }
local m = models.resnet50

run(box, function(r)
  r:provision(box.accelerator)
  -- Optimizer: bench/gpu/measure.py builds torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9) with neither `foreach` nor `fused`
  -- given, so PyTorch runs its foreach implementation on CUDA (pytorch/pytorch#95415, "Set defaults to foreach, NOT
  -- fused"): one multi-tensor kernel per elementary operation.
  r:train { stack = "eager", model = m, data = synthetic, batch = 256, steps = 15, precision = "fp32", optimizer = "momentum", optimizer_impl = "foreach" }
  r:release(box.accelerator)
end)

published = {
  metric = "step_time_s", value = 0.24147,
  source = "trainsim H200 measurement, docs/data/gpu-measure-h200.jsonl line 8 (bench/gpu/measure.py, PyTorch 2.11.0+cu130, 2026-11-27)",
  note = "Mean of 15 timed steps on one H200, synthetic data on the device, no input pipeline; eager PyTorch.",
  stack_evidence = "docs/calibration-gpu.md: \"2026-11-27, one NVIDIA H200 (141 GB), PyTorch 2.11.0+cu130\"; bench/gpu/measure.py times the nn.Module steps as written, no compilation",
}
