-- expect: unknown field acclerator
local pod = cluster { acclerator = tpu { slice = "v3-8" } }
