-- The seed's two environments, same training: a DGX Station the company owns (4 x V100 16 GB, bought for
-- 69,000 USD, 1,500 W) versus renting an AWS p3.16xlarge (8 x V100 16 GB, on demand per instance-hour).
-- ResNet-50 on ImageNet-1k, 90 epochs at batch 256 (He et al. 2016).  Owned hardware costs its purchase
-- price amortized over its service life (4 years unless the catalog says otherwise) plus power x
-- electricity, so renting and owning compare honestly.  Compare the two with (a --set after a scenario
-- applies to that scenario only):
--   trainsim compare scenarios/dgx-station-vs-aws.lua --set where=station scenarios/dgx-station-vs-aws.lua --set where=aws
--   trainsim sweep scenarios/dgx-station-vs-aws.lua --set where=station,aws
local where  = param("where", "station")
local epochs = param("epochs", 90)
local batch  = param("batch", 256)

local acc
if where == "station" then
  acc = gpu { instance = "DGX Station", pricing = "owned" }
elseif where == "aws" then
  acc = gpu { instance = "p3.16xlarge", pricing = "on-demand" }
else
  error("where: expected \"station\" or \"aws\", got " .. tostring(where))
end

local box = cluster {
  accelerator = acc,
  host        = { disk = "2 TB" },
  electricity = "0.15 USD/kWh",
}
local imagenet = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }

run(box, function(r)
  r:provision(box.accelerator)
  r:download(imagenet)
  r:train { model = models.resnet50, data = imagenet, batch = batch, epochs = epochs, precision = "fp16",
            optimizer = "momentum", checkpoint = { every = "10 epochs", keep = 2 } }
  r:release(box.accelerator)
end)
