-- expect: string-metatable-loop.lua:4: instruction budget
-- Every string method made to loop.  The prelude captured the functions it uses before the script ran, so
-- param() and the constructors still work; the script's own method call loops, under the budget.
getmetatable("").__index = function() while true do end end
local batch = param("batch", 256)
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
local name = ("resnet"):upper()
run(pod, function(r) r:train { model = models.resnet50, data = data, batch = batch, steps = 1 } end)
