-- expect: :7: r:train: parallel.schedule: "dualpipe" runs the pipeline from both ends: it needs an even number of pipeline stages (parallel.pipeline), got 3
-- DualPipe with an odd number of pipeline stages: file:line, what was expected and what was given.
local box = cluster { accelerator = gpu { sku = "H100-SXM5-80GB", count = 24, per_node = 8, network = "3200 Gbit/s" } }
local data = dataset { name = "tokens", samples = 1000000, bytes = "8 GB", kind = "tokens" }
local m = models.gpt { name = "moe", layers = 6, width = 1024, seq = 512, vocab = 1000, experts = 16, active_experts = 2 }
run(box, function(r)
  r:train { model = m, data = data, batch = 16, steps = 2, precision = "bf16", parallel = { pipeline = 3, expert = 8, schedule = "dualpipe" } }
end)
