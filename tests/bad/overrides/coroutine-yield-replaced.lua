-- expect: coroutine-yield-replaced.lua:7: r:wait: duration: expected a duration of zero or more
-- coroutine.yield replaced by a function that yields a forged action: the prelude yields with its own.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
coroutine.yield = function() return end
run(pod, function(r)
  r:wait("-1 s")
end)
