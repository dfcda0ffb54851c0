-- expect: parallel.recompute: expected true, false or "auto", got
-- recompute takes a boolean or "auto"; "yes" is neither.
local box = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8, price = "1 USD/device-hour" } }
local d = dataset { samples = 1000000, bytes = "1 GB", kind = "tokens" }
run(box, function(r)
  r:train { model = models.gpt { layers = 4, width = 1024, seq = 1024 }, data = d, batch = 8, steps = 1,
            parallel = { recompute = "yes" } }
end)
