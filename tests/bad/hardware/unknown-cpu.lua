-- expect: unknown cpu SKU "Z80"
-- A CPU not in the catalog.
local c = cpu { sku = "Z80" }
