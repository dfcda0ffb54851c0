-- expect: samples: expected a positive integer, got -5
-- A dataset with fewer than no samples.
local d = dataset { name = "x", samples = -5, bytes = "1 GB" }
