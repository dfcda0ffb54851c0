-- expect: :3: models.bert: unknown field layer; accepted: ffn, heads, layers, name, seq, vocab, width
-- A misspelled key in models.bert{} (a BERT encoder by its shape).
local m = models.bert { layer = 12, width = 768, heads = 12 }
run(cluster { accelerator = tpu { slice = "v3-8" } }, function(r) r:wait("1 h") end)
