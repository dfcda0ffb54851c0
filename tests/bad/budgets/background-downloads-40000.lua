-- expect: background-downloads-40000.lua:10: r:train: batch: expected a positive integer, got 0
-- 40,000 background downloads sharing one link once took 267 s and 500 MB (every start and end moved the
-- completion event of every other transfer).  The link now keeps one event; all 40,000 finish, the join
-- returns, and the mistake on the next line is reported.
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { disk = "1 PB" } }
local d = dataset { name = "shard", samples = 1000, bytes = "1 MB", from = internet { bandwidth = "10 Gbit/s" } }
run(pod, function(r)
  for i = 1, 40000 do r:download(d, { background = true }) end
  r:join()
  r:train { model = models.resnet50, data = d, batch = 0, steps = 1 }
end)
