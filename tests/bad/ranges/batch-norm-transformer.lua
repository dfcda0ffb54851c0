-- expect: :5: r:train: batch_norm: "conv_fused" is modelled for models.resnet50, whose op list has batch norms; this model has none
-- A transformer has layer norms only: a batch-norm implementation stated for it is refused rather than ignored.
local box = cluster { accelerator = gpu { sku = "H100-SXM5-80GB", count = 1, price = "1 USD/device-hour" } }
local d = dataset { samples = 1000000, bytes = "1 GB", kind = "tokens" }
run(box, function(r) r:train { model = models.gpt { layers = 2, width = 256, seq = 256, heads = 4 }, data = d,
  batch = 8, steps = 1, batch_norm = "conv_fused" } end)
