-- CPUs can train, but "a jack of all trades is not enough" (the seed): ResNet-50 on ImageNet-1k for 90 epochs
-- on a dual-socket AMD EPYC 9654 server (2 x 96 cores, fp32) takes weeks; the same work on one 8-GPU machine
-- takes hours.  The CPU price is set here (no list price in the catalog for a bare server).
local epochs = param("epochs", 90)

local box = cluster {
  accelerator = cpu { sku = "EPYC-9654", sockets = 2, price = "7.00 USD/node-hour" },
  host        = { ram = "768 GiB", disk = "2 TB" },
}
local imagenet = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }

run(box, function(r)
  r:provision(box.accelerator)
  r:download(imagenet)
  r:train { model = models.resnet50, data = imagenet, batch = 256, epochs = epochs, precision = "fp32",
            optimizer = "momentum" }
  r:release(box.accelerator)
end)
