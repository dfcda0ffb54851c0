-- expect: count: expected a positive integer, got "eight"
local pod = cluster { accelerator = gpu { sku = "V100-SXM2-16GB", count = "eight" } }
