-- expect: :3: models.gpt: width (4096) is not a multiple of heads (48): give head_dim if the heads are not width / heads wide
-- 48 heads do not split a width of 4096; a model whose heads are wider or narrower says so with head_dim.
local m = models.gpt { layers = 32, width = 4096, heads = 48 }
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) r:wait("1 h") end)
