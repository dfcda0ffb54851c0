-- trainsim's prediction for the steps timed by bench/gpu/measure.py on one H200 (docs/calibration-gpu.md).
local what  = param("what", "resnet50")
local batch = param("batch", 256)
local precision = param("precision", "bf16")

local box = cluster { accelerator = gpu { sku = "H200-SXM-141GB", count = 1, price = "1 USD/device-hour" } }
local data = dataset { samples = 1000000, bytes = "100 GB" }
local m = models.resnet50
if what == "gpt" then m = models.gpt { layers = 12, width = 2048, seq = 2048, vocab = 32000 } end

run(box, function(r)
  r:provision(box.accelerator)
  r:train { model = m, data = data, batch = batch, steps = 10, precision = precision,
            optimizer = what == "gpt" and "adamw" or "momentum" }
  r:release(box.accelerator)
end)
