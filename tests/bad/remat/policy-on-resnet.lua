-- expect: :6: parallel.recompute = "minimal": model resnet50: a named recomputation policy needs a language model with an architecture (models.gpt, models.bert_large); use recompute = true, false or "auto" for this model
-- A remat policy names a transformer layer's tensors; ResNet-50 has none of them.
local box = cluster { accelerator = tpu { slice = "v6e-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(box, function(r)
  r:train { model = models.resnet50, data = data, precision = "bf16", batch = 256, steps = 10,
            parallel = { recompute = "minimal" } }
end)
