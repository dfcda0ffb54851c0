-- expect: internet-retry-zero.lua:3: internet: retry: expected a positive duration, got 0
-- Reconnecting after no wait at all.
local net = internet { bandwidth = "1 Gbit/s", mtbf = "1 h", retry = 0 }
