-- expect: unknown unit "Gbps" in "100 Gbps"
-- Gbps is refused so that bits and bytes are never confused: write Gbit/s.
local net = internet { bandwidth = "100 Gbps" }
