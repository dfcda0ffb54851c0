-- expect: count: expected a positive integer of at most 2147483647
-- math.maxinteger GPUs: refused before it can wrap to 0 in the run model (it once stopped trainsim with
-- SIGFPE).
local box = cluster { accelerator = gpu { sku = "V100-SXM2-16GB", count = math.maxinteger, network = "100 Gbit/s" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(box, function(r)
  r:provision(box.accelerator)
  r:train { model = models.resnet50, data = data, precision = "fp16", batch = math.maxinteger, steps = 10 }
  r:release(box.accelerator)
end)
