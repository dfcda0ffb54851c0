-- Goyal et al. 2017, "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour", arXiv 1706.02677, abstract:
-- "we train ResNet-50 with a minibatch size of 8192 on 256 GPUs in one hour".
--
-- Published facts used: ResNet-50, ImageNet-1k, 90 epochs, minibatch 8192 = 32 images per GPU, 256 Tesla P100 in
-- 32 Big Basin servers of 8 (NVLink inside a server, 50 Gbit/s Ethernet between servers, sec. 4), SGD with
-- momentum, fp32 (no reduced precision in the paper).
local cluster256 = cluster { accelerator = gpu { sku = "P100-SXM2-16GB", count = 256, per_node = 8,
                                                 network = "50 Gbit/s", -- Ethernet per server (sec. 4)
                                                 price = "0 USD/device-hour" } } -- cost is not validated here
local imagenet = datasets.imagenet_1k {}

run(cluster256, function(r)
  r:provision(cluster256.accelerator)
  r:train { stack = "eager", model = models.resnet50, data = imagenet, batch = 8192, epochs = 90, precision = "fp32",
            optimizer = "momentum" }
  r:release(cluster256.accelerator)
end)

published = {
  metric = "time_s", value = 3600,
  source = "Goyal et al. 2017, arXiv 1706.02677, abstract ('in one hour')",
  stack_evidence = "Goyal et al. 2017, arXiv 1706.02677, abstract: \"our Caffe2-based system trains ResNet-50\"",
  note = "'One hour' is a rounded figure (the paper's own timing); evaluation included.",
}
