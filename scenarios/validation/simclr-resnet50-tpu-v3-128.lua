-- SimCLR (Chen, Kornblith, Norouzi, Hinton 2020, arXiv 2002.05709, section 2.2 "Training details"):
-- "With 128 TPU v3 cores, it takes ~1.5 hours to train our ResNet-50 with a batch size of 4096 for 100 epochs."
-- 128 TPU v3 cores = 64 chips = slice v3-128.  ResNet-50 encoder, ImageNet-1k without labels, two augmented
-- views of every image (both go through the encoder), LARS, global batch 4096 images.  Precision: the
-- SimCLR code (google-research/simclr, TF1 on TPU) runs the encoder in bfloat16 on TPU... stated as bf16 here
-- because the TPU v3 catalog only has a bf16 peak (the MXU multiplies in bf16 whatever the variable type).
-- Host CPUs are not stated in the paper, so the input pipeline is not modelled (see the note).
local pod = cluster { accelerator = tpu { slice = "v3-128" } }
local imagenet = datasets.imagenet_1k {}

run(pod, function(r)
  r:provision(pod.accelerator)
  r:train { model = models.resnet50, data = imagenet, views = 2, batch = 4096, epochs = 100,
            precision = "bf16", optimizer = "lars" }
  r:release(pod.accelerator)
end)

published = {
  metric = "time_s", value = 1.5 * 3600,
  source = "Chen et al. 2020, A Simple Framework for Contrastive Learning of Visual Representations, arXiv 2002.05709, sec. 2.2",
  note = "'~1.5 hours' is approximate (two significant figures); it is the training wall time and may include "
      .. "periodic checkpointing and in-loop evaluation. SimCLR's heavy augmentation (colour distortion, blur) "
      .. "runs on the TPU hosts' CPUs and is not modelled: no host CPU is stated.",
}
