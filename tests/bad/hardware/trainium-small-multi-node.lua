-- expect: trainium-small-multi-node.lua:6: 2 nodes of Trainium need a network between them
-- trn1.2xlarge has no EFA (AWS: "EFA is currently not available on the smaller instances sizes and they cannot
-- be used for running multi-node jobs"), so its catalog states no network and two of them are refused.
local box = cluster { accelerator = device { plugin = "trainium", instance = "trn1.2xlarge", nodes = 2 } }
local data = dataset { name = "tokens", samples = 100000, bytes = "1 GB", kind = "tokens" }
run(box, function(r)
  r:provision(box.accelerator)
  r:train { model = models.gpt { layers = 2, width = 256, seq = 128, vocab = 1000 }, data = data, batch = 8,
            steps = 10, precision = "bf16", optimizer = "adamw" }
  r:release(box.accelerator)
end)
