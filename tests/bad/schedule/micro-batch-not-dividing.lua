-- expect: micro_batch 5 does not divide the per-replica batch 32
-- 256 over 8 GPUs is 32 per replica: micro-batches of 5 do not fit evenly.
local box = cluster { accelerator = gpu { sku = "V100-SXM2-16GB", count = 8 }, host = { disk = "2 TB" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(box, function(r)
  r:provision(box.accelerator)
  r:train { model = models.resnet50, data = data, precision = "fp16", batch = 256, micro_batch = 5, steps = 10 }
  r:release(box.accelerator)
end)
