-- expect: :3: dataset: unknown field eval_sample; accepted: bytes, eval_samples, extracted, from, kind, name, samples, tokens
-- A misspelled key in dataset{}.
local d = dataset { name = "tokens", samples = 1000, bytes = "1 GB", eval_sample = 100 }
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) r:wait("1 h") end)
