-- expect-exit: 3 (infeasible by design with the default params)
-- "Don't write code that loads the whole dataset at once" (the seed).  Training ResNet-50 on ImageNet-21k
-- (about 1.31 TB) with load = "all" needs the whole set in host RAM; an 8 x A100 machine has 1152 GiB, so
-- the run is infeasible and says by how much.  load = "stream" reads it batch by batch and fits.
--   trainsim run scenarios/load-all-in-ram.lua --set load=stream
local load = param("load", "all")

local box = cluster {
  accelerator = gpu { instance = "p4d.24xlarge" },
  host        = { disk = "4 TB" },
}
local in21k = datasets.imagenet_21k { from = internet { bandwidth = "10 Gbit/s" } }

run(box, function(r)
  r:provision(box.accelerator)
  r:download(in21k)
  r:train { model = models.resnet50, data = in21k, batch = 1024, epochs = 1, precision = "bf16",
            optimizer = "momentum", load = load }
  r:release(box.accelerator)
end)
