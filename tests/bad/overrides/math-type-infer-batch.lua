-- expect: math-type-infer-batch.lua:7: r:infer: batch: expected a positive integer, got 0.5
-- math.type replaced so that every number looks like an integer: batch 0.5 once reached the run model as 0
-- and stopped trainsim with SIGFPE.  The prelude captured math.type before the script ran.
math.type = function() return "integer" end
local box = cluster { accelerator = gpu { sku = "V100-SXM2-16GB", count = 1, price = "2.48 USD/device-hour" } }
run(box, function(r)
  r:infer { model = models.resnet50, batch = 0.5 }
end)
