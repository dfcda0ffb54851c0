-- expect: host.ram: expected a finite number
-- 0/0 is NaN: not a size.
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { ram = 0/0 } }
