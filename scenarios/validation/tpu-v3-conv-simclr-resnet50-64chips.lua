-- SimCLR, Chen, Kornblith, Norouzi and Hinton 2020, "A Simple Framework for Contrastive Learning of Visual
-- Representations", arXiv 2002.05709, section 2.2 (Training details): "With 128 TPU v3 cores, it takes ~1.5 hours
-- to train our ResNet-50 with a batch size of 4096 for 100 epochs."
--
-- Published facts used: 128 TPU v3 cores = 64 chips (slice v3-128); ResNet-50; ImageNet-1k (1,281,167 training
-- images, labels unused); batch 4096 images; 100 epochs; two augmented views of every image, both through the
-- encoder (section 2 of the paper); LARS optimizer.
-- Precision: fp32, from the reference code (google-research/simclr, run.py, model.py and resnet.py at the TF1
-- version the paper used): the graph takes float32 images and builds every layer in float32, with no bfloat16
-- scope or cast; a TPU multiplies float32 matrices in bfloat16 by default
-- (https://cloud.google.com/tpu/docs/bfloat16), so the catalog's fp32 peak is the bf16 one and the activations
-- take 4 bytes.
-- Not stated, so not modelled: the TPU hosts' CPUs (the input pipeline), evaluation during training.
local pod = cluster { accelerator = tpu { slice = "v3-128" } }
local imagenet = datasets.imagenet_1k {}

run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { stack = "compiled", model = models.resnet50, data = imagenet, views = 2, batch = 4096, epochs = 100,
            precision = "fp32", optimizer = "lars" }
  r:release(pod.accelerator)
end)

published = {
  metric = "time_s", value = 1.5 * 3600,
  source = "Chen et al. 2020, SimCLR, arXiv 2002.05709, sec. 2.2",
  stack_evidence = "SimCLR, arXiv 2002.05709, sec. 2.2: \"With 128 TPU v3 cores, it takes ~1.5 hours\"",
  note = "'~1.5 hours' (two significant figures) of training wall time. SimCLR's augmentations (crop, colour "
      .. "distortion, Gaussian blur) run on the TPU hosts' CPUs and the contrastive loss all-gathers the batch; "
      .. "neither is in the model.",
}
