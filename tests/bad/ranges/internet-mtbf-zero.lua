-- expect: internet-mtbf-zero.lua:4: internet: mtbf: expected a positive duration, got "0 s"
-- A connection that fails all the time.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
local net = internet { bandwidth = "1 Gbit/s", mtbf = "0 s" }
