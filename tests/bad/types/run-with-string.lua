-- expect: run: expected the run function second, got "train"
-- run() takes the cluster and a function.
local pod = cluster { accelerator = tpu { slice = "v3-8" } }
run(pod, "train")
