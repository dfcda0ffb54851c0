-- The ResNet-50 baseline of He et al. 2016 as run by Goyal et al. 2017, "Accurate, Large Minibatch SGD: Training
-- ImageNet in 1 Hour", arXiv 1706.02677: minibatch 256 on 8 Tesla P100 GPUs, 90 epochs, 29 hours (sec. 5 and
-- the introduction: "reduces training time from 29 hours to 1 hour"; NVIDIA's summary of the paper says the same).
--
-- Published facts used: ResNet-50, ImageNet-1k (1.28 M images), 90 epochs, batch 256 = 32 images per GPU, 8
-- NVIDIA Tesla P100 in one Big Basin server (NVLink), SGD with momentum, Caffe2.  P100 has no tensor cores;
-- the paper does not use reduced precision, so fp32.
local server = cluster { accelerator = gpu { sku = "P100-SXM2-16GB", count = 8, per_node = 8,
                                             price = "0 USD/device-hour" } } -- cost is not validated here
local imagenet = datasets.imagenet_1k {}

run(server, function(r)
  r:provision(server.accelerator)
  r:train { stack = "eager", model = models.resnet50, data = imagenet, batch = 256, epochs = 90, precision = "fp32",
            optimizer = "momentum" }
  r:release(server.accelerator)
end)

published = {
  metric = "time_s", value = 29 * 3600,
  source = "Goyal et al. 2017, arXiv 1706.02677 (baseline: 8 P100, minibatch 256, 29 hours)",
  stack_evidence = "Goyal et al. 2017, arXiv 1706.02677, abstract: \"our Caffe2-based system trains ResNet-50\"",
  note = "29 hours of training wall time, evaluation included; two significant figures.",
}
