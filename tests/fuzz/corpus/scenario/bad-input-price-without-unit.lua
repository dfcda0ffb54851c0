-- expect: a price needs its unit
local pod = cluster { accelerator = tpu { slice = "v3-8", price = 2 } }
