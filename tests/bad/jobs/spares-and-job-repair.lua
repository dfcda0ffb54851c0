-- expect: spares-and-job-repair.lua:6: job a: failures.repair: the cluster's spares = {...} serve its jobs' node failures
-- With the cluster's spares, a job's node failures are the cluster's to serve: its own repair is refused.
local pool = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 16, per_node = 8, network = "200 Gbit/s" },
                       spares = { nodes = 2, repair = "3 days" } }
local data = dataset { name = "d", samples = 100000, bytes = "10 GB" }
job { cluster = pool, name = "a", devices = 8, run = function(r)
  r:train { model = models.resnet50, data = data, batch = 256, epochs = 1, failures = { mtbf = "1000 h", repair = "1 day" } }
end }
