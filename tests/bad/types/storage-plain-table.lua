-- expect: storage: expected bucket{...}, got table
-- Storage must be made by bucket{}.
local pod = cluster { accelerator = tpu { slice = "v3-8" }, storage = { read = "2 GB/s" } }
