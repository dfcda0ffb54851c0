-- Scaling benchmark for several jobs on one cluster (docs/performance.md, bench/e2e --only cluster): 100 jobs
-- over a simulated month on a 4,096-GPU H100 cluster (512 nodes of 8), fair share between four groups.  Not a
-- forecast anyone planned: GPT-style models from 350 M to 13 B parameters on 8 to 1,024 GPUs, a job arriving
-- every 7.2 hours, deterministic sizes from the job's index.  The jobs share the bucket's reads and writes and the
-- fabric (docs/scenario-api.md, "Several jobs on one cluster").
--
--   trainsim run bench/scenarios/cluster-month.lua --set jobs=100
local jobs = param("jobs", 100)

local c = cluster {
  accelerator = gpu { sku = "H100-SXM5-80GB", count = 4096, per_node = 8, network = "400 Gbit/s",
                      price = "2.5 USD/device-hour" },
  storage     = bucket { read = "50 GB/s", write = "20 GB/s" },
  -- The scale-out fabric the jobs' data-parallel traffic shares: 512 nodes x 400 Gbit/s, oversubscribed 2:1.
  fabric      = "102.4 Tbit/s",
  scheduler   = "fair",
}
local tokens = dataset { name = "tokens", samples = 100000000, bytes = "800 GB", kind = "tokens" }
local shapes = {
  {layers = 24, width = 1024, heads = 16},  -- about 350 M
  {layers = 24, width = 2048, heads = 16},  -- about 1.3 B
  {layers = 32, width = 4096, heads = 32},  -- about 6.7 B
  {layers = 40, width = 5120, heads = 40},  -- about 13 B
}
local sizes = {8, 64, 256, 1024}
for i = 1, jobs do
  local k = (i * 7) % 4 + 1
  local gpus = sizes[(i * 3) % 4 + 1]
  local s = shapes[k]
  job { cluster = c, name = "job-" .. i, group = "group-" .. (i % 4), arrival = string.format("%g h", 7.2 * (i - 1)),
        devices = gpus, priority = i % 3, restart = "10 min",
        run = function(r)
          r:train { model = models.gpt { layers = s.layers, width = s.width, heads = s.heads, seq = 2048, vocab = 50257 },
                    data = tokens, batch = gpus * 4, steps = 100000, precision = "bf16", optimizer = "adamw",
                    parallel = { zero = 3 }, checkpoint = { every = "1000 steps" } }
        end }
end
