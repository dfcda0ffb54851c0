-- A 12-layer GPT-style decoder (width 2048, 16 heads, sequence 2048, vocabulary 32,000)
-- on one NVIDIA H200 (141 GB), bf16 autocast, batch 2: this project's own measurement, PyTorch 2.11.0+cu130.
-- stack: eager (PyTorch without torch.compile: bench/gpu/measure.py calls the nn.Module directly).
--
-- Source: docs/data/gpu-measure-h200.jsonl, line 9, written by `python3 bench/gpu/measure.py` on 2026-11-27
-- (docs/calibration-gpu.md):
--   {"model": "gpt-12x2048", "batch": 2, "precision": "bf16", "step_s": 0.05697262209999963,
--   "peak_bytes": 15270966784, "base_bytes": 3026468864, "params": 739569664, "device": "NVIDIA H200",
--   "torch": "2.11.0+cu130"}
-- What was timed (bench/gpu/measure.py): 10 full steps after 3 warm-up steps, forward + backward + optimizer
-- (torch.optim.AdamW), synthetic data already on the GPU,
-- torch.cuda.synchronize() around the timed loop;
-- PyTorch's scaled_dot_product_attention (causal), GELU MLP of width 4d, learned position embedding, untied output
-- head: 739569664 parameters ("params" in the line; models.gpt is given it).
-- Compared: step_s, the mean time of one step.
local box = cluster { accelerator = gpu { sku = "H200-SXM-141GB", count = 1, price = "0 USD/device-hour" } }
local synthetic = dataset { name = "synthetic tokens (torch.randint)", samples = 20, bytes = "327680 B",
                            kind = "tokens" }
-- Architecture: 16 heads and an untied output head, as bench/gpu/measure.py builds it (L, d, heads = 12, 2048,
-- 16); its learned position table and biases are not in the layer list (0.6 % of the parameters).
local m = models.gpt { name = "gpt-12x2048", layers = 12, width = 2048, seq = 2048, vocab = 32000,
                       params = 739569664,
                       heads = 16, tied_embeddings = false }

run(box, function(r)
  r:provision(box.accelerator)
  -- Optimizer: bench/gpu/measure.py builds torch.optim.AdamW(model.parameters(), lr=1e-4) with neither `foreach` nor `fused`
  -- given, so PyTorch runs its foreach implementation on CUDA (pytorch/pytorch#95415, "Set defaults to foreach, NOT
  -- fused"): one multi-tensor kernel per elementary operation.
  r:train { stack = "eager", model = m, data = synthetic, batch = 2, steps = 10, precision = "bf16", optimizer = "adamw", optimizer_impl = "foreach" }
  r:release(box.accelerator)
end)

published = {
  metric = "step_time_s", value = 0.05697,
  source = "trainsim H200 measurement, docs/data/gpu-measure-h200.jsonl line 9 (bench/gpu/measure.py, PyTorch 2.11.0+cu130, 2026-11-27)",
  note = "Mean of 10 timed steps on one H200, synthetic data on the device, no input pipeline; eager PyTorch.",
  stack_evidence = "docs/calibration-gpu.md: \"2026-11-27, one NVIDIA H200 (141 GB), PyTorch 2.11.0+cu130\"; bench/gpu/measure.py times the nn.Module steps as written, no compilation",
}
