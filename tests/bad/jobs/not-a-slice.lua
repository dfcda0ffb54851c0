-- expect: not-a-slice.lua:5: job sweep: devices: a job on v3-32 takes a whole slice of it: 12 chips is none
-- A TPU job takes a slice of the pool's generation; 12 chips is no v3 slice.
local pod = cluster { accelerator = tpu { slice = "v3-32" } }
job { cluster = pod, name = "ok", devices = 16, run = function(r) r:wait("1 h") end }
job { cluster = pod, name = "sweep", devices = 12, run = function(r) r:wait("1 h") end }
