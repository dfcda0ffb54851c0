-- MLPerf Training v2.0, closed division, NVIDIA, dgxa100_n527_ngc22.04_mxnet: ResNet-50 v1.5 on ImageNet-1k to 75.9 % top-1,
-- 4216 x NVIDIA A100 SXM4 80 GB (527 nodes x 8), MXNet (NVIDIA NGC container, MxNet NVIDIA Release 22.04).
-- stack: tuned (MLPerf closed-division submission: result logs "submission_division": "closed", quoted below)
--
-- System description (NVIDIA/systems/dgxa100_n527_ngc22.04_mxnet.json):
--   "system_name": "dgxa100_n527_ngc22.04_mxnet"
--   "division": "closed"
--   "status": "onprem"
--   "number_of_nodes": "527"
--   "accelerators_per_node": "8"
--   "accelerator_model_name": "NVIDIA A100-SXM4-80GB"
--   "accelerator_memory_capacity": "80 GB"
--   "accelerator_interconnect": "NVLINK 3.0, NVSWITCH 2.0 600GB/s"
--   "host_networking": "Storage: 2x ConnectX-6 IB HDR 200Gb/sec, Management: 1x ConnectX-6 Ethernet 100Gb/Sec, Compute: 8x ConnectX-6 IB HDR 200Gb/Sec"
--   "framework": "MxNet NVIDIA Release 22.04"
-- Network (D): the compute links of "host_networking" per node, 1600 Gbit/s.
--
-- Result logs (mlcommons/training_results_v2.0, NVIDIA/results/dgxa100_n527_ngc22.04_mxnet/resnet/): 5 files; MLLOG lines quoted as logged.
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1652509327894, "event_type": "POINT_IN_TIME", "key": "submission_division", "value": "closed", "metadata": {"file": "/workspace/image_classification/mlperf_log_utils.py", "lineno": 93}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1652509327894, "event_type": "POINT_IN_TIME", "key": "submission_platform", "value": "527xNVIDIA DGX A100", "metadata": {"file": "/workspace/image_classification/mlperf_log_utils.py", "lineno": 101}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1652509430158, "event_type": "POINT_IN_TIME", "key": "global_batch_size", "value": 67456, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1180}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1652509430158, "event_type": "POINT_IN_TIME", "key": "d_batch_size", "value": 16, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1176}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1652509430159, "event_type": "POINT_IN_TIME", "key": "gradient_accumulation_steps", "value": 1, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1184}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1652509430159, "event_type": "POINT_IN_TIME", "key": "opt_name", "value": "lars", "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1190}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1652509463894, "event_type": "INTERVAL_START", "key": "block_start", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 902, "first_epoch_num": 1, "epoch_count": 2}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1652509463893, "event_type": "POINT_IN_TIME", "key": "eval_samples", "value": 50000, "metadata": {"file": "/workspace/image_classification/common/dali.py", "lineno": 522}}
--   result_0.txt [kept]: run 19.092 s
--     :::MLLOG {"namespace": "", "time_ms": 1652509463654, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1348}}
--     :::MLLOG {"namespace": "", "time_ms": 1652509482746, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1063, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1652509482746, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 0.76158, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1056, "epoch_num": 86}}
--   result_1.txt [kept]: run 19.335 s
--     :::MLLOG {"namespace": "", "time_ms": 1652509632165, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1348}}
--     :::MLLOG {"namespace": "", "time_ms": 1652509651500, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1063, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1652509651500, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 0.7629, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1056, "epoch_num": 86}}
--   result_2.txt [dropped (olympic)]: run 19.006 s
--     :::MLLOG {"namespace": "", "time_ms": 1652509803164, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1348}}
--     :::MLLOG {"namespace": "", "time_ms": 1652509822170, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1063, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1652509822169, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 0.76278, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1056, "epoch_num": 86}}
--   result_3.txt [dropped (olympic)]: run 19.428 s
--     :::MLLOG {"namespace": "", "time_ms": 1652509971575, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1348}}
--     :::MLLOG {"namespace": "", "time_ms": 1652509991003, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1063, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1652509991003, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 0.76196, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1056, "epoch_num": 86}}
--   result_4.txt [kept]: run 19.078 s
--     :::MLLOG {"namespace": "", "time_ms": 1652510140393, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1348}}
--     :::MLLOG {"namespace": "", "time_ms": 1652510159471, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1063, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1652510159471, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 0.76142, "metadata": {"file": "/workspace/image_classification/common/fit.py", "lineno": 1056, "epoch_num": 86}}
--
-- Precision: fp16, "--dtype \"float16\"" in NVIDIA/benchmarks/resnet/implementations/mxnet/run_and_time.sh.
-- Scoring (mlcommons/training_policies, training_rules.adoc, "Benchmark Results"): "Each benchmark result is computed
-- by dropping the fastest and slowest runs, then taking the mean of the remaining times"; a run with status
-- "aborted" counts as the slowest.  Time to train = run_stop - run_start (initialisation excluded).
-- D: time_s = mean of the kept runs' run_stop - run_start = (19.078 + 19.092 + 19.335) / 3 = 19.168 s.
-- D: epochs = mean of the kept runs' last evaluated epoch (epochs count from 1, "first_epoch_num": 1) = (86 + 86 + 86) / 3 = 86.
-- Evaluation: every 4 epochs (the block_start/eval_accuracy lines; EVAL_PERIOD="4" in the run's config), on the 50,000
-- validation images; it is inside the measured time and modelled with eval.every.  The input pipeline (DALI) is
-- not modelled.  The published score may be scaled by an RCP factor (scaling.json); the raw time is compared here.
-- Data-parallel overlap (audit 2026-12-07): mlcommons/training_results_v2.0, NVIDIA/benchmarks/resnet/implementations/mxnet/config_DGXA100_multi_527x8x16xgbn2_larsv2.sh: "export KVSTORE=\"horovod\"", "# Default is no NCCL and BWD overlap", "export
-- MXNET_HOROVOD_NUM_GROUPS=1"; common/fit.py: "opt = hvd.DistributedOptimizer(opt,
-- num_groups=int(os.getenv('MXNET_HOROVOD_NUM_GROUPS', 1)))".  Horovod's DistributedOptimizer (horovod/mxnet/__init__.py)
-- all-reduces in the optimizer's update ("def update(self, index, weight, grad, state): ... self._do_allreduce(index,
-- grad)"), one grouped_allreduce_ of every gradient with one group, so the reduction waits for the whole backward
-- pass: parallel = { dp_overlap = false }.
-- NCCL (audit 2026-12-07): config_DGXA100_multi_527x8x16xgbn2_larsv2.sh (above), line 48: "export SBATCH_NETWORK=sharp".
-- The job is given the fabric's SHARP resources, but no file of the implementation sets NCCL_COLLNET_ENABLE=1 (NCCL's
-- in-network reduction across InfiniBand needs it) or NCCL_ALGO, so NCCL runs its default algorithms; in-network
-- reduction across InfiniBand is not modelled (docs/model.md, "GPU nodes").
local sys = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 4216, per_node = 8, network = "1600 Gbit/s",
                                          price = "0 USD/device-hour" } } -- cost is not validated here
local imagenet = datasets.imagenet_1k {}

run(sys, function(r)
  r:provision(sys.accelerator)
  r:train { stack = "tuned", model = models.resnet50, data = imagenet, batch = 67456, micro_batch = 16, epochs = 86, precision = "fp16",
            optimizer = "lars", parallel = { dp_overlap = false }, eval = { every = "4 epochs" } }
  r:release(sys.accelerator)
end)

published = {
  metric = "time_s", value = 19.168,
  source = "MLPerf Training v2.0, NVIDIA, dgxa100_n527_ngc22.04_mxnet, resnet, results/dgxa100_n527_ngc22.04_mxnet/resnet/result_*.txt",
  note = "Time to train (run_stop - run_start), olympic mean of 5 runs (3 kept); 86 epochs on average (D, header).",
  stack_evidence = "result_0.txt: \"key\": \"submission_division\", \"value\": \"closed\" (MLPerf Training v2.0, closed division)",
}
