-- expect: 8 devices are fewer than tensor x pipeline x context parallel
-- tensor x pipeline = 2^32 wrapped to 0 in 32 bits, and 8 % 0 stopped trainsim with SIGFPE.
local box = cluster { accelerator = gpu { sku = "V100-SXM2-16GB", count = 8 }, host = { disk = "2 TB" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(box, function(r)
  r:provision(box.accelerator)
  r:train { model = models.resnet50, data = data, precision = "fp16", batch = 256, steps = 10, parallel = { tensor = 65536, pipeline = 65536 } }
  r:release(box.accelerator)
end)
