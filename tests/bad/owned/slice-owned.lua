-- expect: :3: device: owned: not with slice (a Cloud TPU slice is rented, not sold)
-- Terms of ownership on a TPU slice would be read by nobody: refused, not ignored.
local pod = cluster { accelerator = device { plugin = "tpu", slice = "v3-8", owned = { utilisation = 0.5 } } }
run(pod, function(r) r:wait("1 h") end)
