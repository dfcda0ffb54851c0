-- expect: getmetatable-override.lua:8: r:wait: call it as r:wait(...)
-- getmetatable replaced to vouch for any value as the runner: r.wait("5 s") (a dot, no self) must still be
-- refused as a method called the wrong way.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(pod, function(r)
  local mt = getmetatable(r); getmetatable = function() return mt end
  r.wait("5 s")
end)
