-- expect: flops: unknown unit "GB" in "2 GB" for an amount of work
-- Work in bytes instead of FLOP.
local m = model { params = 1e6, flops = "2 GB", activations = "1 MB" }
