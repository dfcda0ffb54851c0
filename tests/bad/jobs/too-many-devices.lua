-- expect: too-many-devices.lua:6: job: devices: the job asks for 16 devices; the cluster has 8
-- A job runs on all its devices at once (gang scheduling): one larger than the cluster could never start.
local pool = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8, per_node = 8 } }
local data = dataset { name = "d", samples = 1000, bytes = "1 GB" }
job { cluster = pool, name = "small", devices = 8, run = function(r) r:wait("1 h") end }
job { cluster = pool, name = "big", devices = 16, run = function(r)
  r:train { model = models.resnet50, data = data, batch = 64, epochs = 1 }
end }
