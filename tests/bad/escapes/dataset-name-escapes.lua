-- expect: dataset x\x1B[2J\x1B[H has no source
-- A dataset name with escape sequences, shown in an error message.
local d = dataset { name = "x\27[2J\27[H", samples = 10, bytes = "1 MB" }
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) r:download(d) end)
