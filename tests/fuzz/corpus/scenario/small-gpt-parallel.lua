local g = cluster { accelerator = gpu { sku = "H100-SXM5-80GB", count = 16, per_node = 8, network = "400 Gbit/s", price = "4 USD/device-hour" },
  host = { ram = "2 TiB", disk = "30 TB" } }
local d = dataset { name = "tok", samples = 1000000, bytes = "4 TB", kind = "tokens" }
run(g, function(r)
  r:provision(g.accelerator)
  r:train { model = models.gpt { layers = 4, width = 512, seq = 1024, experts = 4, active_experts = 2 }, data = d,
    batch = 64, micro_batch = 2, steps = 20, precision = "bf16", optimizer = "adamw",
    parallel = { tensor = 2, pipeline = 2, zero = 1, recompute = true },
    checkpoint = { every = "5 steps", keep = 2, async = true }, failures = { mtbf = "100 h", restart = "5 min" } }
  r:release(g.accelerator)
end)
