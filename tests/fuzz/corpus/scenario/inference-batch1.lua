-- Real-time camera detection runs inference with batch 1 and needs little memory (the seed): ResNet-50 in
-- fp16 on one V100 holds its weights and the live activations of about one layer, a few hundred MB, against
-- the many GB that training at batch 256 needs.  Compare --set batch=1 with --set batch=256.
local batch = param("batch", 1)

local box = cluster {
  accelerator = gpu { sku = "V100-SXM2-16GB", count = 1, price = "2.48 USD/device-hour" },
}

run(box, function(r)
  r:provision(box.accelerator)
  r:infer { model = models.resnet50, batch = batch, samples = 36000, precision = "fp16" }  -- 20 min at 30 fps
  r:release(box.accelerator)
end)
