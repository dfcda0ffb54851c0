-- MLPerf Training v1.1, closed division, NVIDIA, dgxa100_n8_ngc21.09_mxnet: ResNet-50 v1.5 on ImageNet-1k to 75.9 % top-1,
-- 64 x NVIDIA A100 SXM4 80 GB (8 nodes x 8), MXNet (NVIDIA NGC container, MxNet NVIDIA Release 21.09).
-- stack: tuned (MLPerf closed-division submission: result logs "submission_division": "closed", quoted below)
--
-- System description (NVIDIA/systems/dgxa100_n8_ngc21.09_mxnet.json):
--   "system_name": "dgxa100_n8_ngc21.09_mxnet"
--   "division": "closed"
--   "status": "onprem"
--   "number_of_nodes": "8"
--   "accelerators_per_node": "8"
--   "accelerator_model_name": "NVIDIA A100-SXM4-80GB (400W)"
--   "accelerator_memory_capacity": "80 GB"
--   "accelerator_interconnect": "NVLINK 3.0, NVSWITCH 2.0 600GB/s"
--   "host_networking": "Storage: 2x ConnectX-6 IB HDR 200Gb/sec, Management: 1x ConnectX-6 Ethernet 100Gb/Sec, Compute: 8x ConnectX-6 IB HDR 200Gb/Sec"
--   "framework": "MxNet NVIDIA Release 21.09"
-- Network (D): the compute links of "host_networking" per node, 1600 Gbit/s.
--
-- Result logs (mlcommons/training_results_v1.1, NVIDIA/results/dgxa100_n8_ngc21.09_mxnet/resnet/): 5 files; MLLOG lines quoted as logged.
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1634351845853, "event_type": "POINT_IN_TIME", "key": "submission_division", "value": "closed", "metadata": {"file": "/workspace/image_classification/mlperf_log_utils.py", "lineno": 79}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1634351845854, "event_type": "POINT_IN_TIME", "key": "submission_platform", "value": "8xNVIDIA DGX A100", "metadata": {"file": "/workspace/image_classification/mlperf_log_utils.py", "lineno": 87}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1634351913235, "event_type": "POINT_IN_TIME", "key": "global_batch_size", "value": 3264, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1168}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1634351913235, "event_type": "POINT_IN_TIME", "key": "d_batch_size", "value": 51, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1164}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1634351913236, "event_type": "POINT_IN_TIME", "key": "gradient_accumulation_steps", "value": 1, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1172}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1634351913236, "event_type": "POINT_IN_TIME", "key": "opt_name", "value": "lars", "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1178}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1634351947412, "event_type": "INTERVAL_START", "key": "block_start", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 903, "first_epoch_num": 1, "epoch_count": 3}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1634351947412, "event_type": "POINT_IN_TIME", "key": "eval_samples", "value": 50000, "metadata": {"file": "/workspace/image_classification/common/dali.py", "lineno": 508}}
--   result_0.txt [dropped (olympic)]: run 271.596 s
--     :::MLLOG {"namespace": "", "time_ms": 1634351947186, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1336}}
--     :::MLLOG {"namespace": "", "time_ms": 1634352218782, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1051, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1634352218782, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 0.76012, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1044, "epoch_num": 35}}
--   result_1.txt [kept]: run 272.204 s
--     :::MLLOG {"namespace": "", "time_ms": 1634350353042, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1336}}
--     :::MLLOG {"namespace": "", "time_ms": 1634350625246, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1051, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1634350625246, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 0.76068, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1044, "epoch_num": 35}}
--   result_2.txt [dropped (olympic)]: run 287.603 s
--     :::MLLOG {"namespace": "", "time_ms": 1634350754086, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1336}}
--     :::MLLOG {"namespace": "", "time_ms": 1634351041689, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1076, "status": "aborted"}}
--     :::MLLOG {"namespace": "", "time_ms": 1634351026308, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 0.75838, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1044, "epoch_num": 35}}
--   result_3.txt [kept]: run 272.156 s
--     :::MLLOG {"namespace": "", "time_ms": 1634351170994, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1336}}
--     :::MLLOG {"namespace": "", "time_ms": 1634351443150, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1051, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1634351443149, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 0.76284, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1044, "epoch_num": 35}}
--   result_4.txt [kept]: run 271.714 s
--     :::MLLOG {"namespace": "", "time_ms": 1634351571970, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1336}}
--     :::MLLOG {"namespace": "", "time_ms": 1634351843684, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1051, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1634351843684, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 0.76076, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1044, "epoch_num": 35}}
--
-- Precision: fp16, "--dtype \"float16\"" in NVIDIA/benchmarks/resnet/implementations/mxnet/run_and_time.sh.
-- Scoring (mlcommons/training_policies, training_rules.adoc, "Benchmark Results"): "Each benchmark result is computed
-- by dropping the fastest and slowest runs, then taking the mean of the remaining times"; a run with status
-- "aborted" counts as the slowest.  Time to train = run_stop - run_start (initialisation excluded).
-- D: time_s = mean of the kept runs' run_stop - run_start = (271.714 + 272.156 + 272.204) / 3 = 272.025 s.
-- D: epochs = mean of the kept runs' last evaluated epoch (epochs count from 1, "first_epoch_num": 1) = (35 + 35 + 35) / 3 = 35.
-- Evaluation: every 4 epochs (the block_start/eval_accuracy lines; EVAL_PERIOD="4" in the run's config), on the 50,000
-- validation images; it is inside the measured time and modelled with eval.every.  The input pipeline (DALI) is
-- not modelled.  The published score may be scaled by an RCP factor (scaling.json); the raw time is compared here.
-- Data-parallel overlap (audit 2026-12-07): mlcommons/training_results_v1.1, NVIDIA/benchmarks/resnet/implementations/mxnet/config_DGXA100_multi_8x8x51.sh: "export KVSTORE=\"horovod\"", "# Default is no NCCL and BWD overlap", "export
-- MXNET_HOROVOD_NUM_GROUPS=1"; common/fit.py: "opt = hvd.DistributedOptimizer(opt,
-- num_groups=int(os.getenv('MXNET_HOROVOD_NUM_GROUPS', 1)))".  Horovod's DistributedOptimizer (horovod/mxnet/__init__.py)
-- all-reduces in the optimizer's update ("def update(self, index, weight, grad, state): ... self._do_allreduce(index,
-- grad)"), one grouped_allreduce_ of every gradient with one group, so the reduction waits for the whole backward
-- pass: parallel = { dp_overlap = false }.
local sys = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 64, per_node = 8, network = "1600 Gbit/s",
                                          price = "0 USD/device-hour" } } -- cost is not validated here
local imagenet = datasets.imagenet_1k {}

run(sys, function(r)
  r:provision(sys.accelerator)
  r:train { stack = "tuned", model = models.resnet50, data = imagenet, batch = 3264, micro_batch = 51, epochs = 35, precision = "fp16",
            optimizer = "lars", parallel = { dp_overlap = false }, eval = { every = "4 epochs" } }
  r:release(sys.accelerator)
end)

published = {
  metric = "time_s", value = 272.025,
  source = "MLPerf Training v1.1, NVIDIA, dgxa100_n8_ngc21.09_mxnet, resnet, results/dgxa100_n8_ngc21.09_mxnet/resnet/result_*.txt",
  note = "Time to train (run_stop - run_start), olympic mean of 5 runs (3 kept); 35 epochs on average (D, header).",
  stack_evidence = "result_0.txt: \"key\": \"submission_division\", \"value\": \"closed\" (MLPerf Training v1.1, closed division)",
}
