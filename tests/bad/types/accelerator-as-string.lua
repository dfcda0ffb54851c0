-- expect: accelerator: expected device{...} (or tpu{...}, gpu{...}, cpu{...}), got "v3-8"
-- The accelerator must be made by tpu{}, gpu{} or cpu{}.
local pod = cluster { accelerator = "v3-8" }
