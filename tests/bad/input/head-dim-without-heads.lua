-- expect: :3: models.gpt: head_dim needs heads (the number of query heads)
-- head_dim (one head's width, where heads x head_dim is not the width) means nothing without the heads.
local m = models.gpt { layers = 32, width = 4096, head_dim = 128 }
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, function(r) r:wait("1 h") end)
