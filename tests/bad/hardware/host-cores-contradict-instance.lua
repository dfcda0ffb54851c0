-- expect: contradicts DGX Station, which has 20 host CPU cores in the catalog; to give the input pipeline fewer, use r:train{input_cores = N}
-- A rented or bought machine's CPUs come from its catalog record: a scenario may not silently replace them.
local box = cluster { accelerator = gpu { instance = "DGX Station", pricing = "owned" }, host = { cores = 1 } }
run(box, function(r) end)
