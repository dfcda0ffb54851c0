-- expect: dataset-name-50mb-downloads.lua:10: r:train: batch: expected a positive integer, got 0
-- A 50 MB dataset name downloaded 40 times: the host copied the name for every download and every phase,
-- 6.2 GB outside the sandbox's 512 MiB cap.  Names are now cut to 120 bytes on the host (and each action's
-- copies charged to the cap); the 40 downloads finish under the harness's 1 GiB bound, then the mistake on
-- the last line is reported.
local d = dataset { name = string.rep("D", 50 * 2^20), samples = 1000, bytes = "1 MB", from = internet {} }
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { disk = "1 PB" } }
run(pod, function(r)
  for i = 1, 40 do r:download(d) end
  r:train { model = models.resnet50, data = d, batch = 0, steps = 1 }
end)
