-- expect: :3: imagenet_1k: unknown field form; accepted: bytes, eval_samples, extracted, from, kind, name, samples, tokens
-- A misspelled key in a catalog dataset (datasets.imagenet_1k{}).
local d = datasets.imagenet_1k { form = internet { bandwidth = "1 Gbit/s" } }
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) r:wait("1 h") end)
