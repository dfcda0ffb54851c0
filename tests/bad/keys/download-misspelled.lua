-- expect: :5: r:download: options: unknown field backgroud; accepted: background, extract, resumable, to
-- A misspelled option of r:download.
local d = dataset { name = "tiny", samples = 1000, bytes = "1 GB", from = internet {} }
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { disk = "1 TB" } }
run(pod, function(r) r:download(d, { backgroud = true }) end)
