-- expect: dataset.name holds table
-- A dataset's name replaced by a table after it was made.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
data.name = {}
run(pod, function(r) r:download(data) end)
