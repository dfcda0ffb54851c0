-- Provision in stages: download ImageNet on a cheap CPU VM into a bucket, release it, and only then start the
-- TPUs (staged = true); or start the TPUs first and download on their hosts (staged = false), which bills
-- TPU-hours for the whole download.  The difference is the seed's "keep cloud spending in check".
--   trainsim sweep scenarios/staged-provisioning.lua --set staged=true,false
local staged = param("staged", true)

local pod = cluster {
  accelerator = tpu { slice = "v3-32" },
  storage     = bucket { read = "2 GB/s", write = "1 GB/s", price = "0.020 USD/GB-month" },
}
local helper = cpu { instance = "c5.xlarge" }
local imagenet = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }

run(pod, function(r)
  if staged then
    r:provision(helper)
    r:download(imagenet, { to = pod.storage })
    r:release(helper)
    r:provision(pod.accelerator)
  else
    r:provision(pod.accelerator)
    r:download(imagenet, { to = pod.storage })
  end
  r:train { model = models.resnet50, data = imagenet, batch = 1024, epochs = 90, precision = "bf16",
            optimizer = "momentum", checkpoint = { every = "10 epochs", keep = 2 }, stack = "compiled" }
  r:release(pod.accelerator)
end)
