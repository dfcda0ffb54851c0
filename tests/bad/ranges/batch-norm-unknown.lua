-- expect: :5: r:train: batch_norm: expected one of
-- A batch-norm implementation the model does not know.
local box = cluster { accelerator = gpu { sku = "H100-SXM5-80GB", count = 1, price = "1 USD/device-hour" } }
local d = dataset { samples = 1000000, bytes = "1 GB", kind = "images" }
run(box, function(r) r:train { model = models.resnet50, data = d, batch = 8,
  steps = 1, batch_norm = "cudnn" } end)
