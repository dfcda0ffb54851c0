-- expect: r:wait: duration: expected a duration
-- A script error while a background download is in flight: its bookkeeping used to leak (found by fuzzing;
-- LeakSanitizer in the ASan build).
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  r:download(data, { background = true })
  r:wait("nope")
end)
