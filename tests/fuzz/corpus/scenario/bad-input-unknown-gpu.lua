-- expect: unknown gpu SKU "Z9000"
local pod = cluster { accelerator = gpu { sku = "Z9000", count = 8 } }
