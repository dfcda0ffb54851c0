-- expect: no field host_ram
-- A metatable whose __index raises on the accelerator: the prelude's reads fail in the sandbox; the host reads
-- raw.
local acc = tpu { slice = "v3-8" }
setmetatable(acc, { __index = function(t, k) error("no field " .. k) end })
local pod = cluster { accelerator = acc }
run(pod, function(r) r:provision(acc) end)
