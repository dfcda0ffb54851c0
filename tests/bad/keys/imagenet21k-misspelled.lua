-- expect: :3: imagenet_21k: unknown field sample; accepted: bytes, eval_samples, extracted, from, kind, name, samples, tokens
-- A misspelled key in datasets.imagenet_21k{}.
local d = datasets.imagenet_21k { sample = 1000 }
run(cluster { accelerator = tpu { slice = "v3-8" } }, function(r) r:wait("1 h") end)
