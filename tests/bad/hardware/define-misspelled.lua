-- expect: :3: gpu: define: unknown field memory_bandwith; accepted: cores, generation, link_bandwidth, link_latency, links, matmul_tile, matmul_units, memory, memory_bandwidth, name, network_latency, peak, runtime_reserved, tdp
-- A device the catalog lacks, declared in the scenario: a misspelled key is refused with the keys define takes.
local acc = gpu { count = 4,
  define = { name = "P100-PCIe-16GB", peak = { fp32 = "9.3 TFLOP/s" }, memory = "16 GiB", memory_bandwith = "720 GB/s" } }
run(cluster { accelerator = acc }, function(r) r:wait("1 h") end)
