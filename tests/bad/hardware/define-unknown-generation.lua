-- expect: :3: gpu: define.generation: generation "Turing" has no constants in calibration.json; known: Ampere,
-- A generation names the constants the device inherits; one calibration.json does not know is refused, listed.
local acc = gpu { count = 4,
  define = { name = "T4-ish", generation = "Turing", peak = { fp16 = "65 TFLOP/s" }, memory = "16 GiB", memory_bandwidth = "320 GB/s" } }
run(cluster { accelerator = acc }, function(r) r:wait("1 h") end)
