-- expect: internet-bandwidth-zero.lua:3: internet: bandwidth: expected a positive rate, got "0 Gbit/s"
-- A link that carries nothing: the download would never end.
local net = internet { bandwidth = "0 Gbit/s" }
