-- expect: host.disk: expected a decimal number, got "0x100 GB"
-- Hexadecimal quantities are refused.
local pod = cluster { accelerator = tpu { slice = "v3-8" }, host = { disk = "0x100 GB" } }
