-- expect: internet-mtbf-negative.lua:3: internet: mtbf: expected a positive duration, got "-2 h"
-- A negative mean time between failures.
local net = internet { bandwidth = "1 Gbit/s", mtbf = "-2 h" }
