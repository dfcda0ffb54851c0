-- expect: count: expected a positive integer, got 1e+300
-- More GPUs than atoms.
local box = cluster { accelerator = gpu { sku = "V100-SXM2-16GB", count = 1e300 } }
