-- expect: dataset local has no source to download from
-- A dataset with nowhere to download it from.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = dataset { name = "local", samples = 100, bytes = "1 GB" }
run(pod, function(r) r:download(data) end)
