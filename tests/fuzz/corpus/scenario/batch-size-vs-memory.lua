-- Where does ResNet-50 stop fitting on one 16 GB V100?  The seed: weights are about 104 MB at 32 bits; what
-- grows with the batch is the activations, so the papers' batch sizes are "not easy".  Raise the batch until
-- the run is infeasible: trainsim reports by how much it is over and the largest batch that fits.
--   trainsim sweep scenarios/batch-size-vs-memory.lua --set batch=32..1024x2 --set precision=fp32,fp16
local batch     = param("batch", 128)
local precision = param("precision", "fp32")

local box = cluster {
  accelerator = gpu { sku = "V100-SXM2-16GB", count = 1, price = "2.48 USD/device-hour" },
  host        = { ram = "64 GiB", disk = "1 TB" },
}
local imagenet = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }

run(box, function(r)
  r:provision(box.accelerator)
  r:train { model = models.resnet50, data = imagenet, batch = batch, steps = 100, precision = precision,
            optimizer = "momentum" }
  r:release(box.accelerator)
end)
