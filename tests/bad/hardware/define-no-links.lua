-- expect: define-no-links.lua:9: MyGPU: 8 devices to a node exchange data over links the define does not state; give define.link_bandwidth
-- A defined device without link_bandwidth, 8 to a node: the data-parallel reduction needs the links inside the node.
-- It is the scenario's to state, not the plugin's failure ("collective_time returned inf for MyGPU" before).
local acc = gpu { define = { name = "MyGPU", peak = { bf16 = "400 TFLOP/s" }, memory = "24 GiB",
                  memory_bandwidth = "2 TB/s" }, count = 8, price = "2 USD/device-hour" }
local data = dataset { name = "toks", samples = 1000000, bytes = "10 GB", kind = "tokens" }
run(cluster { accelerator = acc, storage = bucket { read = "5 GB/s" } }, function(r)
  r:provision(acc)
  r:train { model = models.gpt { layers = 12, width = 768, seq = 1024 }, data = data, batch = 64, steps = 10,
            precision = "bf16" }
end)
