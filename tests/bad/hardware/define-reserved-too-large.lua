-- expect: :3: gpu: define.runtime_reserved: expected less than define.memory
-- What the runtime keeps must leave some of the memory.
local acc = gpu { count = 4,
  define = { name = "X", peak = { fp16 = "1 TFLOP/s" }, memory = "16 GiB", memory_bandwidth = "900 GB/s", runtime_reserved = "20 GiB" } }
run(cluster { accelerator = acc }, function(r) r:wait("1 h") end)
