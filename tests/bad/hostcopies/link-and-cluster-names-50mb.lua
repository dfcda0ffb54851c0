-- expect: link-and-cluster-names-50mb.lua:8: r:train: batch: expected a positive integer, got 0
-- A link and a cluster named with 50 MB each.
local net = internet { name = string.rep("L", 50 * 2^20) }
local d = dataset { name = "tiny", samples = 1024, bytes = "1 MB", from = net }
local pod = cluster { name = string.rep("C", 50 * 2^20), accelerator = tpu { slice = "v3-8" }, host = { disk = "1 PB" } }
run(pod, function(r)
  for i = 1, 20 do r:download(d, { background = true }) end
  r:train { model = models.resnet50, data = d, batch = 0, steps = 1 }
end)
