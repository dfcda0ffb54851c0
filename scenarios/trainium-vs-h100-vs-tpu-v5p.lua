-- One LLM pretraining run on three kinds of accelerator, 64 chips each: AWS Trainium2 (4 x trn2.48xlarge, the
-- trainium plugin, written only against the plugin SDK), NVIDIA H100 (8 x AWS p5.48xlarge) and Google TPU v5p
-- (a v5p-128 slice, 64 chips), all on demand.  The run is a 7 B-parameter GPT-style model (32 layers, width
-- 4,096, sequence 4,096) for 2,000 steps of 256 sequences (about 2.1 B tokens), bf16, AdamW, ZeRO-3 over all
-- 64 chips.  `--set device=trn1` runs it on 4 x trn1.32xlarge (first-generation Trainium, 32 GB per chip).
-- Each summary names where its efficiency constants come from and the error band that goes with them: Trainium
-- is uncalibrated (no published Trainium runs to fit), so it runs on the constants pooled across vendors and
-- prints the widest band; H100 is calibrated on published runs.  Compare the three (docs/scenarios.md shows
-- the table):
--   trainsim compare scenarios/trainium-vs-h100-vs-tpu-v5p.lua --set device=trn2 scenarios/trainium-vs-h100-vs-tpu-v5p.lua --set device=h100 scenarios/trainium-vs-h100-vs-tpu-v5p.lua --set device=v5p
--   trainsim sweep scenarios/trainium-vs-h100-vs-tpu-v5p.lua --set device=trn2,trn1,h100,v5p
local which = param("device", "trn2")
local steps = param("steps", 2000)

local acc
if which == "trn2" then
  acc = device { plugin = "trainium", instance = "trn2.48xlarge", nodes = 4 }
elseif which == "trn1" then
  acc = device { plugin = "trainium", instance = "trn1.32xlarge", nodes = 4 }
elseif which == "h100" then
  acc = gpu { instance = "p5.48xlarge", nodes = 8 }
elseif which == "v5p" then
  acc = tpu { slice = "v5p-128" }
else
  error("device: expected \"trn2\", \"trn1\", \"h100\" or \"v5p\", got " .. tostring(which))
end

local c = cluster { accelerator = acc }
local tokens = dataset { name = "pretraining-tokens", samples = 100000000, bytes = "800 GB", kind = "tokens" }
local gpt7b = models.gpt { name = "gpt-7b", layers = 32, width = 4096, seq = 4096, vocab = 32000 }

run(c, function(r)
  r:provision(c.accelerator)
  r:train { model = gpt7b, data = tokens, batch = 256, micro_batch = 2, steps = steps, precision = "bf16",
            optimizer = "adamw", parallel = { zero = 3, recompute = true } }
  r:release(c.accelerator)
end)
