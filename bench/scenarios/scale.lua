-- Scaling benchmark (docs/performance.md, bench/e2e): one data-parallel training run whose size the
-- parameters set, to show how the simulation's own cost grows with devices, steps, failures and checkpoints.
-- Not a forecast anyone planned: a GPT-style 1.3 B model on H100s, 8 sequences per GPU per step.
--
--   trainsim run bench/scenarios/scale.lua --set devices=10000 --set steps=1000000 --set mtbf_h=50000
--
-- devices     GPUs (1, or a multiple of 4: 4 per node below 8 that divide, else 8 per node)
-- steps       training steps
-- mtbf_h      per-GPU mean time between failures in hours (0: no failures); the job fails at devices / MTBF
-- ckpt_steps  a checkpoint every this many steps (0: none)
-- restart_s   seconds to restart after a failure
local devices    = param("devices", 100)
local steps      = param("steps", 100000)
local mtbf_h     = param("mtbf_h", 0)
local ckpt_steps = param("ckpt_steps", 0)
local restart_s  = param("restart_s", 600)

local per_node = 1
if devices % 8 == 0 then per_node = 8 elseif devices % 4 == 0 then per_node = 4 end

local pod = cluster {
  accelerator = gpu { sku = "H100-SXM5-80GB", count = devices, per_node = per_node, network = "400 Gbit/s",
                      price = "2.50 USD/device-hour" },
  storage     = bucket { write = "100 GB/s", price = "0.020 USD/GB-month" },
}
local corpus = dataset { name = "tokens", samples = 1000000000000, bytes = "4 PB", kind = "tokens",
                         from = internet { bandwidth = "100 Gbit/s" } }
local model = models.gpt { name = "gpt-1.3b", layers = 24, width = 2048, seq = 2048, vocab = 50257 }

local train = { model = model, data = corpus, batch = 8 * devices, micro_batch = 8, steps = steps,
                precision = "bf16", optimizer = "adamw" }
if ckpt_steps > 0 then train.checkpoint = { every = ckpt_steps .. " steps", keep = 2 } end
if mtbf_h > 0 then train.failures = { mtbf = mtbf_h .. " h", restart = restart_s .. " s" } end

run(pod, function(r)
  r:provision(pod.accelerator)
  r:train(train)
  r:release(pod.accelerator)
end)
