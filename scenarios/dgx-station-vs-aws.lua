-- The seed's question: for a year of experiments, buy a DGX Station or rent AWS?  The company owns a DGX Station
-- (4 x V100 16 GB, bought for 69,000 USD, 1,500 W) and also rents an AWS p3.16xlarge (8 x V100 16 GB, on demand
-- per instance-hour).  The experiment: ResNet-50 on ImageNet-1k, 90 epochs at batch 256 (He et al. 2016).
--
-- Owned, the station costs its purchase spread over the hours it is used in its service life (price / (life x
-- utilisation) an hour; the catalog gives no life, so 4 years unless --set life_years=N) plus power x
-- electricity; rented, the instance costs its hourly price.  The owned station names the rented alternative
-- (owned.against), so the run also plays the same experiment on the p3.16xlarge and prints the break-even: the runs
-- (and hours of use) a year from which owning is cheaper than renting.  That number does not depend on the
-- utilisation, which only says what one run costs on the station.
-- The station, and the break-even; then bought on credit at 6 % a year:
--   trainsim run scenarios/dgx-station-vs-aws.lua
--   trainsim run scenarios/dgx-station-vs-aws.lua --set financing=0.06
--   trainsim compare scenarios/dgx-station-vs-aws.lua --set where=station scenarios/dgx-station-vs-aws.lua --set where=aws
local where       = param("where", "station")
local utilisation = param("utilisation", 0.5)  -- the fraction of the year the station runs experiments like this
local life_years  = param("life_years", 4)
local financing   = param("financing", 0)      -- interest per year when bought on credit (0.06 = 6 %)
local epochs      = param("epochs", 90)
local batch       = param("batch", 256)

local aws = gpu { instance = "p3.16xlarge", pricing = "on-demand" }
local acc
if where == "station" then
  acc = gpu { instance = "DGX Station", owned = { utilisation = utilisation, life = life_years .. " years",
                                                  financing = financing, against = aws } }
elseif where == "aws" then
  acc = aws
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
