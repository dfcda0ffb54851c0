-- expect: slice: expected a slice name such as "v3-128", got 128 (number)
-- A slice is named, not counted.
local pod = cluster { accelerator = tpu { slice = 128 } }
