-- expect: error-replaced.lua:7: r:wait: duration: expected a duration of zero or more
-- error replaced by a function that does nothing: the prelude's checks raise with its own copy.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
error = function() end
run(pod, function(r)
  r:wait("-5 min")
end)
