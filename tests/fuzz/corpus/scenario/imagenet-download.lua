-- How long do the data sets take to arrive?  ImageNet-1k's training archive is 147.9 GB; the full
-- ImageNet-21k (fall 2011, 14,197,122 images, the seed's "14 million images") is about 1.31 TB as
-- fall11_whole.tar (docs/model.md, "Datasets") -- the seed's "300 GB+" is a lower bound.  Both come over the
-- same link at once, sharing it fairly, into a bucket; try other links with --set link=...
--   trainsim sweep scenarios/imagenet-download.lua --set "link=100 Mbit/s,1 Gbit/s,10 Gbit/s"
local link = param("link", "1 Gbit/s")

local box = cluster {
  accelerator = cpu { instance = "c5.xlarge" },
  storage     = bucket { write = "5 GB/s", price = "0.020 USD/GB-month" },
}
local net = internet { bandwidth = link, egress_price = "0 USD/GB" }
local in1k  = datasets.imagenet_1k  { from = net }
local in21k = datasets.imagenet_21k { from = net }

run(box, function(r)
  r:provision(box.accelerator)
  r:download(in1k,  { to = box.storage, background = true })
  r:download(in21k, { to = box.storage, background = true })
  r:join()
  r:release(box.accelerator)
end)
