-- expect: :5: r:train: optimizer_impl: expected one of
-- An optimizer implementation the model does not know.
local box = cluster { accelerator = gpu { sku = "H100-SXM5-80GB", count = 1, price = "1 USD/device-hour" } }
local d = dataset { samples = 1000000, bytes = "1 GB", kind = "tokens" }
run(box, function(r) r:train { model = models.gpt { layers = 2, width = 256, seq = 256 }, data = d, batch = 8,
  steps = 1, optimizer = "adamw", optimizer_impl = "apex" } end)
