-- expect-exit: 3 (infeasible by design with the default params)
-- Long runs save checkpoints of the weights; without retention they pile up and fill the disk (the seed's
-- warning).  A 1.3 B-parameter GPT on 8 x A100 saves fp32 weights + AdamW's two moments (12 bytes per
-- parameter, 15.7 GB = 14.7 GiB) every 500 steps to a 500 GB local disk.  With keep = 0 (keep all) the disk fills at a definite
-- simulated time and the run is infeasible; with keep = 3 it finishes.
--   trainsim run scenarios/checkpoints-fill-disk.lua --set keep=3
local keep = param("keep", 0)

local box = cluster {
  accelerator = gpu { instance = "p4d.24xlarge" },
  host        = { disk = "500 GB", disk_write = "2 GB/s" },
}
local corpus = dataset { name = "tokens", samples = 5000000, bytes = "40 GB", kind = "tokens",
                         from = internet { bandwidth = "10 Gbit/s" } }
local gpt = models.gpt { layers = 24, width = 2048, seq = 2048 }

run(box, function(r)
  r:provision(box.accelerator)
  r:download(corpus)
  local ckpt = { every = "500 steps" }
  if keep > 0 then ckpt.keep = keep end
  r:train { model = gpt, data = corpus, batch = 256, micro_batch = 4, steps = 20000, precision = "bf16", optimizer = "adamw",
            parallel = { zero = 1 }, checkpoint = ckpt }
  r:release(box.accelerator)
end)
