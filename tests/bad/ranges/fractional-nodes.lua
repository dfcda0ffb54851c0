-- expect: nodes: expected a positive integer, got 1.5
-- Half a machine.
local g = gpu { instance = "p4d.24xlarge", nodes = 1.5 }
