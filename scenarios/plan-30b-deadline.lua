-- Which hardware and which layout for a 30 B-parameter model under a deadline?  `trainsim plan` chooses between
-- three clusters of 512 accelerators -- H100 on demand (64 x AWS p5.48xlarge, this script's own cluster), the
-- same on spot capacity (interrupted about once per 3,274 h per instance, from the catalog, each interruption
-- restarting from the last checkpoint), and a Cloud TPU v5p-1024 slice (512 chips) on demand -- and, on each,
-- between the tensor, pipeline, data, context and interleaving splits, ZeRO stage, micro-batch and
-- recomputation, for the cheapest run that ends within the deadline (at P90 of the spot interruptions' draws):
--   trainsim plan scenarios/plan-30b-deadline.lua --deadline "80 h" --at P90 --top 1
-- Without a deadline spot H100s are the cheapest; under a deadline at P90 their interruptions' draws widen their
-- range more than on-demand's, so a tight enough deadline moves the choice to on-demand H100s; the v5p slice is
-- slower on this model.  docs/cli.md shows what this build chooses for 80 hours.
-- The model has MPT-30B's shape (48 layers, width 7,168, 56 heads, sequence 4,096; about 30 B parameters),
-- trained on 300 B tokens (2,048 sequences a step), bf16, AdamW, checkpointed every 6 hours.  The layout
-- written below is only where `trainsim run` starts; plan searches it away.
local tokens = param("tokens", 300e9)

local h100 = cluster { accelerator = gpu { instance = "p5.48xlarge", nodes = 64 } }
local corpus = dataset { name = "pretraining-tokens", samples = 200000000, bytes = "1.6 TB", kind = "tokens" }
local mpt30 = models.gpt { name = "gpt-30b", layers = 48, width = 7168, heads = 56, seq = 4096, vocab = 50432 }

plan = {
  clusters = {
    cluster { accelerator = gpu { instance = "p5.48xlarge", nodes = 64, pricing = "spot" } },
    cluster { accelerator = tpu { slice = "v5p-1024" } },
  },
}

run(h100, function(r)
  r:provision(h100.accelerator)
  r:train { model = mpt30, data = corpus, batch = 2048, micro_batch = 1, tokens = tokens, precision = "bf16",
            optimizer = "adamw", parallel = { tensor = 8, zero = 1, recompute = true },
            checkpoint = { every = "6 h", keep = 2 } }
  r:release(h100.accelerator)
end)
