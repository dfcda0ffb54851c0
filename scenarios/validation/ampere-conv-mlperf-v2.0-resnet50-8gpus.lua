-- MLPerf Training v2.0, closed division, NVIDIA, dgxa100_ngc22.04_mxnet: ResNet-50 v1.5 on ImageNet-1k to 75.9 % top-1,
-- 8 x NVIDIA A100 SXM4 80 GB (1 node x 8), MXNet (NVIDIA NGC container, MxNet NVIDIA Release 22.04).
-- stack: tuned (MLPerf closed-division submission: result logs "submission_division": "closed", quoted below)
--
-- System description (NVIDIA/systems/dgxa100_ngc22.04_mxnet.json):
--   "system_name": "dgxa100_ngc22.04_mxnet"
--   "division": "closed"
--   "status": "onprem"
--   "number_of_nodes": "1"
--   "accelerators_per_node": "8"
--   "accelerator_model_name": "NVIDIA A100-SXM4-80GB"
--   "accelerator_memory_capacity": "80 GB"
--   "accelerator_interconnect": "NVLINK 3.0, NVSWITCH 2.0 600GB/s"
--   "host_networking": "Storage: 2x ConnectX-6 IB HDR 200Gb/sec, Management: 1x ConnectX-6 Ethernet 100Gb/Sec, Compute: 8x ConnectX-6 IB HDR 200Gb/Sec"
--   "framework": "MxNet NVIDIA Release 22.04"
--
-- Result logs (mlcommons/training_results_v2.0, NVIDIA/results/dgxa100_ngc22.04_mxnet/resnet/): 5 files; MLLOG lines quoted as logged.
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1652653410006, "event_type": "POINT_IN_TIME", "key": "submission_division", "value": "closed", "metadata": {"file": "/workspace/image_classification/mlperf_log_utils.py", "lineno": 93}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1652653410006, "event_type": "POINT_IN_TIME", "key": "submission_platform", "value": "1xNVIDIA DGX A100", "metadata": {"file": "/workspace/image_classification/mlperf_log_utils.py", "lineno": 101}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1652653436717, "event_type": "POINT_IN_TIME", "key": "global_batch_size", "value": 3264, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1180}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1652653436717, "event_type": "POINT_IN_TIME", "key": "d_batch_size", "value": 408, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1176}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1652653436718, "event_type": "POINT_IN_TIME", "key": "gradient_accumulation_steps", "value": 1, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1184}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1652653436718, "event_type": "POINT_IN_TIME", "key": "opt_name", "value": "lars", "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1190}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1652653457111, "event_type": "INTERVAL_START", "key": "block_start", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 902, "first_epoch_num": 1, "epoch_count": 3}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1652653457111, "event_type": "POINT_IN_TIME", "key": "eval_samples", "value": 50000, "metadata": {"file": "/workspace/image_classification/common/dali.py", "lineno": 522}}
--   result_0.txt [dropped (olympic)]: run 1704.628 s
--     :::MLLOG {"namespace": "", "time_ms": 1652653456890, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1348}}
--     :::MLLOG {"namespace": "", "time_ms": 1652655161518, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1063, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1652655161518, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 0.7606, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1056, "epoch_num": 35}}
--   result_1.txt [kept]: run 1718.323 s
--     :::MLLOG {"namespace": "", "time_ms": 1652653457985, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1348}}
--     :::MLLOG {"namespace": "", "time_ms": 1652655176308, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1063, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1652655176308, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 0.75962, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1056, "epoch_num": 35}}
--   result_2.txt [dropped (olympic)]: run 1820.513 s
--     :::MLLOG {"namespace": "", "time_ms": 1652653457745, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1348}}
--     :::MLLOG {"namespace": "", "time_ms": 1652655278258, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1088, "status": "aborted"}}
--     :::MLLOG {"namespace": "", "time_ms": 1652655180574, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 0.75844, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1056, "epoch_num": 35}}
--   result_3.txt [kept]: run 1724.881 s
--     :::MLLOG {"namespace": "", "time_ms": 1652653459848, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1348}}
--     :::MLLOG {"namespace": "", "time_ms": 1652655184729, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1063, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1652655184729, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 0.76116, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1056, "epoch_num": 35}}
--   result_4.txt [kept]: run 1720.164 s
--     :::MLLOG {"namespace": "", "time_ms": 1652653459312, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1348}}
--     :::MLLOG {"namespace": "", "time_ms": 1652655179476, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1063, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1652655179476, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 0.76018, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1056, "epoch_num": 35}}
--
-- Precision: fp16, "--dtype \"float16\"" in NVIDIA/benchmarks/resnet/implementations/mxnet/run_and_time.sh.
-- Scoring (mlcommons/training_policies, training_rules.adoc, "Benchmark Results"): "Each benchmark result is computed
-- by dropping the fastest and slowest runs, then taking the mean of the remaining times"; a run with status
-- "aborted" counts as the slowest.  Time to train = run_stop - run_start (initialisation excluded).
-- D: time_s = mean of the kept runs' run_stop - run_start = (1718.323 + 1720.164 + 1724.881) / 3 = 1721.123 s.
-- D: epochs = mean of the kept runs' last evaluated epoch (epochs count from 1, "first_epoch_num": 1) = (35 + 35 + 35) / 3 = 35.
-- Batch norm (NVIDIA/benchmarks/resnet/implementations/mxnet/config_DGXA100.sh): NETWORK="resnet-v1b-stats-fl";
-- symbols/resnet-v1b-stats-fl.py: "# 1st NormalizedConvolution: [no Stats Apply] [no Relu] Convolution Stats-Gen",
-- "# Third NormalizedConvolution: Convolution Stats-Gen": each convolution sums its output's statistics
-- (mx.sym.BNStatsFinalize turns them into scale and shift), a ScaleBiasAddRelu pass applies the norm and its ReLU
-- ("bn1 = scale_bias_add_relu(conv1, ...)"), and with run_and_time.sh's "--fuse-bn-add-relu   \"1\"" one
-- ScaleBiasAddRelu ends each block (the projection's norm applied in the same pass).  Stated as
-- batch_norm = "conv_stats" (docs/model.md, "Operator-level model: the layers").
-- Evaluation: every 4 epochs (the block_start/eval_accuracy lines; EVAL_PERIOD="4" in the run's config), on the 50,000
-- validation images; it is inside the measured time and modelled with eval.every.  The input pipeline (DALI) is
-- not modelled.  The published score may be scaled by an RCP factor (scaling.json); the raw time is compared here.
-- Data-parallel overlap (audit 2026-12-07): mlcommons/training_results_v2.0, NVIDIA/benchmarks/resnet/implementations/mxnet/config_DGXA100.sh: "export KVSTORE=\"horovod\"", "export
-- MXNET_HOROVOD_NUM_GROUPS=1"; common/fit.py: "opt = hvd.DistributedOptimizer(opt,
-- num_groups=int(os.getenv('MXNET_HOROVOD_NUM_GROUPS', 1)))".  Horovod's DistributedOptimizer (horovod/mxnet/__init__.py)
-- all-reduces in the optimizer's update ("def update(self, index, weight, grad, state): ... self._do_allreduce(index,
-- grad)"), one grouped_allreduce_ of every gradient with one group, so the reduction waits for the whole backward
-- pass: parallel = { dp_overlap = false }.
local sys = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8, per_node = 8,
                                          price = "0 USD/device-hour" } } -- cost is not validated here
local imagenet = datasets.imagenet_1k {}

run(sys, function(r)
  r:provision(sys.accelerator)
  r:train { stack = "tuned", model = models.resnet50, data = imagenet, batch = 3264, micro_batch = 408, epochs = 35, precision = "fp16",
            optimizer = "lars", batch_norm = "conv_stats", parallel = { dp_overlap = false }, eval = { every = "4 epochs" } }
  r:release(sys.accelerator)
end)

published = {
  metric = "time_s", value = 1721.123,
  source = "MLPerf Training v2.0, NVIDIA, dgxa100_ngc22.04_mxnet, resnet, results/dgxa100_ngc22.04_mxnet/resnet/result_*.txt",
  note = "Time to train (run_stop - run_start), olympic mean of 5 runs (3 kept); 35 epochs on average (D, header).",
  stack_evidence = "result_0.txt: \"key\": \"submission_division\", \"value\": \"closed\" (MLPerf Training v2.0, closed division)",
}
