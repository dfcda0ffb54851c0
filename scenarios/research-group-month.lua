-- A research group's month on its two machines: a Cloud TPU v3-128 pod (64 chips, on demand per chip-hour) and
-- one 8 x A100 node (AWS p4d.24xlarge, on demand per instance-hour).  Through the month the group submits
-- hyper-parameter sweeps (short ResNet-50 runs on ImageNet-1k at several batch sizes) and, on the pod, one large
-- run (SimCLR-style ResNet-50, 2 views, 800 epochs, checkpointed every 10 epochs) that gets priority: with
-- scheduler = "priority-preempt" it stops the sweeps running when it arrives and they resume from their last
-- checkpoint once it is done.  The machines are rented for the whole month, so the hours no job uses are billed
-- too (the summary's idle billed capacity).
--
-- One cluster per scenario (docs/scenario-api.md, "Several jobs on one cluster"), so the two machines are two
-- runs of this script:
--   trainsim run scenarios/research-group-month.lua                      # the v3-128 pod
--   trainsim run scenarios/research-group-month.lua --set machine=a100   # the A100 node
--   trainsim run scenarios/research-group-month.lua --set scheduler=fifo # without priorities
-- ImageNet-1k sits in the group's bucket already (downloaded once, scenarios/imagenet-download.lua); the
-- bucket's read bandwidth is shared by the jobs that read at the same time.

local machine   = param("machine", "pod")
local scheduler = param("scheduler", "priority-preempt")
local read      = param("read", "2.7 GB/s") -- at least what SimCLR's 1.5 h for 100 epochs on a v3-128 read

local acc
if machine == "pod" then
  acc = tpu { slice = "v3-128" }
elseif machine == "a100" then
  acc = gpu { instance = "p4d.24xlarge", nodes = 1 }
else
  error("machine: expected \"pod\" or \"a100\", got " .. tostring(machine))
end

local c = cluster {
  accelerator = acc,
  host        = { ram = "340 GiB", disk = "1 TB" },
  storage     = bucket { read = read, write = "1 GB/s", price = "0.020 USD/GB-month" },
  price       = "on-demand",
  scheduler   = scheduler,
}
local imagenet = dataset { name = "imagenet_1k", samples = 1281167, bytes = "147.9 GB", extracted = "147.9 GB",
                           kind = "images", eval_samples = 50000 }

-- The sweeps: a slice of the pod (v3-32 = 16 chips) at batch 1024, 2048, 4096 and 8192, or the whole A100 node
-- at 512 to 4096 (8192 does not fit its 40 GB GPUs), 90 epochs each; a new sweep every day from day 1 to day 28.
local sweep_devices = machine == "pod" and 16 or 8
for day = 1, 28 do
  for _, batch in ipairs(machine == "pod" and {1024, 2048, 4096, 8192} or {512, 1024, 2048, 4096}) do
    job { cluster = c, name = string.format("sweep-d%02d-b%d", day, batch), group = "sweeps",
          arrival = string.format("%d day", day), devices = sweep_devices, restart = "5 min",
          run = function(r)
            r:train { model = models.resnet50, data = imagenet, batch = batch, epochs = 90, precision = "bf16",
                      optimizer = batch > 2048 and "lars" or "momentum", checkpoint = { every = "10 epochs", keep = 1 } }
          end }
  end
end

-- The large run, on the whole pod, submitted on day 10 two hours after that day's sweeps started.
if machine == "pod" then
  job { cluster = c, name = "simclr-800", group = "large", arrival = "242 h", priority = 10, devices = 64,
        restart = "10 min", run = function(r)
          r:train { model = models.resnet50, data = imagenet, views = 2, batch = 4096, epochs = 800,
                    precision = "bf16", optimizer = "lars", checkpoint = { every = "10 epochs", keep = 2 } }
        end }
end
