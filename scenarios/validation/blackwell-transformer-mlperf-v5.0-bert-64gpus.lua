-- Was staged until 2026-12-07 (at -23.8 % with nodes of 4 GPUs joined over InfiniBand); joined the fit after the
-- GB200 NVL72 rack became one NVLink domain and the refit that followed: -12.1 % before this refit.
--
-- MLPerf Training v5.0, closed division, NVIDIA, tyche_ngpu64_ngc25.04_pytorch: BERT-large phase-2 pre-training (sequence 512,
-- from the benchmark's phase-1 checkpoint) on Wikipedia to 72.0 % masked-LM accuracy, 64 x NVIDIA GB200 (16 nodes x 4,
-- one GB200 NVL72 rack), PyTorch (NVIDIA PyTorch Release 25.04).
-- stack: tuned (MLPerf closed-division submission: result logs "submission_division": "closed", quoted below)
--
-- System description (NVIDIA/systems/tyche_ngpu64_ngc25.04_pytorch.json):
--   "system_name": "Tyche (1x NVIDIA GB200 NVL72)"
--   "division": "closed"
--   "status": "Available on-premise"
--   "number_of_nodes": "16"
--   "accelerators_per_node": "4"
--   "accelerator_model_name": "NVIDIA Blackwell GPU (GB200)"
--   "accelerator_memory_capacity": "189471 MiB"
--   "accelerator_interconnect": "NVLINK Gen5 1800 GB/s + NVSWITCH Gen5"
--   "host_networking": "4x ConnectX-7 IB NDR 400Gb/s"
--   "framework": "NVIDIA PyTorch Release 25.04"
--
-- Result logs (prishajain1/training_results_v5.0 (fork holding the v5.0 round, read at ab57af8),
-- NVIDIA/results/tyche_ngpu64_ngc25.04_pytorch/bert/): 10 files; MLLOG lines quoted as logged.
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1745685217193, "event_type": "POINT_IN_TIME", "key": "submission_division", "value": "closed", "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1397}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1745685217193, "event_type": "POINT_IN_TIME", "key": "submission_platform", "value": "16xNVIDIA GB200", "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1397}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1745685217193, "event_type": "POINT_IN_TIME", "key": "global_batch_size", "value": 4608, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1401}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1745685217193, "event_type": "POINT_IN_TIME", "key": "d_batch_size", "value": 36, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1403}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1745685217193, "event_type": "POINT_IN_TIME", "key": "gradient_accumulation_steps", "value": 1, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1405}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1745685217193, "event_type": "POINT_IN_TIME", "key": "max_predictions_per_seq", "value": 76, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1407}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1745685222609, "event_type": "POINT_IN_TIME", "key": "opt_base_learning_rate", "value": 0.00258, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 991}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1745685225152, "event_type": "POINT_IN_TIME", "key": "opt_lamb_beta_1", "value": 0.7206, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1033}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1745685270539, "event_type": "POINT_IN_TIME", "key": "eval_samples", "value": 10000, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2165}}
--   result_0.txt [kept]: run 40.414 s
--     :::MLLOG {"namespace": "", "time_ms": 1745685230127, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1783}}
--     :::MLLOG {"namespace": "", "time_ms": 1745685270541, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2168, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1745685270538, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 3399650, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2162}}
--   result_1.txt [kept]: run 36.153 s
--     :::MLLOG {"namespace": "", "time_ms": 1745685322339, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1783}}
--     :::MLLOG {"namespace": "", "time_ms": 1745685358492, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2168, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1745685358489, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 3003393, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2162}}
--   result_2.txt [kept]: run 40.600 s
--     :::MLLOG {"namespace": "", "time_ms": 1745685408643, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1783}}
--     :::MLLOG {"namespace": "", "time_ms": 1745685449243, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2168, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1745685449241, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 3397384, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2162}}
--   result_3.txt [kept]: run 38.027 s
--     :::MLLOG {"namespace": "", "time_ms": 1745685587532, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1783}}
--     :::MLLOG {"namespace": "", "time_ms": 1745685625559, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2168, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1745685625556, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 3200284, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2162}}
--   result_4.txt [dropped (olympic, status aborted: counted as the slowest)]: run 42.132 s
--     :::MLLOG {"namespace": "", "time_ms": 1745685675068, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1783}}
--     :::MLLOG {"namespace": "", "time_ms": 1745685717200, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2168, "status": "aborted"}}
--     :::MLLOG {"namespace": "", "time_ms": 1745685717198, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 3400044, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2162}}
--   result_5.txt [dropped (olympic)]: run 35.725 s
--     :::MLLOG {"namespace": "", "time_ms": 1745685768506, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1783}}
--     :::MLLOG {"namespace": "", "time_ms": 1745685804231, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2168, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1745685804229, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 3004478, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2162}}
--   result_6.txt [kept]: run 37.891 s
--     :::MLLOG {"namespace": "", "time_ms": 1745685854047, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1783}}
--     :::MLLOG {"namespace": "", "time_ms": 1745685891938, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2168, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1745685891935, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 3200513, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2162}}
--   result_7.txt [kept]: run 40.596 s
--     :::MLLOG {"namespace": "", "time_ms": 1745685587807, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1783}}
--     :::MLLOG {"namespace": "", "time_ms": 1745685628403, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2168, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1745685628400, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 3399365, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2162}}
--   result_8.txt [kept]: run 40.628 s
--     :::MLLOG {"namespace": "", "time_ms": 1745685680058, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1783}}
--     :::MLLOG {"namespace": "", "time_ms": 1745685720686, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2168, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1745685720683, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 3399176, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2162}}
--   result_9.txt [kept]: run 40.691 s
--     :::MLLOG {"namespace": "", "time_ms": 1745685791664, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1783}}
--     :::MLLOG {"namespace": "", "time_ms": 1745685832355, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2168, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1745685832353, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 3400216, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2162}}
--
-- Layout and precision (NVIDIA/benchmarks/bert/implementations/tyche_ngpu64_ngc25.04_pytorch, implementation of this
-- result): config_GB200_16x4x36x1_pack.sh: "export BATCHSIZE=36", "export GRADIENT_STEPS=1", "export PACKING_FACTOR=2",
-- "export DGXNGPU=4", "export DGXNNODES=16", EXTRA_PARAMS with "--packed_samples"; run_and_time.sh: "--fp16" and
-- "--init_checkpoint=/workspace/phase1/model.ckpt-28252.pt".
-- Check (D): 36 packed rows per GPU x 64 GPUs = 2304 packed rows ("d_batch_size" 36), x packing factor 2 = 4608
-- sequences, the logged global batch.
-- Nodes of 4 GPUs (the 64 GPUs are 16 nodes of one GB200 NVL72 rack, one NVLink domain: the catalog's nvlink_domain
-- of 72 makes them one domain; the 4 x 400 Gbit/s ConnectX-7 per node are each node's scale-out network), as for
-- the Llama cases on Tyche.
-- Scoring (mlcommons/training_policies, training_rules.adoc, "Benchmark Results"): "Each benchmark result is computed
-- by dropping the fastest and slowest runs, then taking the mean of the remaining times"; result_4.txt ended
-- "aborted" (not converged), which counts as the slowest run.  Time to train = run_stop - run_start.
-- D: time_s = mean of the kept runs' run_stop - run_start = 39.375 s.
-- D: sequences trained = mean of the kept runs' train_samples = 3299997.6; steps = ceil(3299997.6 / 4608) = 717.
-- The devices compute packed rows of 512 tokens, so the case states the step in them: batch = 2304 packed rows,
-- micro_batch = 36 (D), as the 8-GPU B200 case of the same round does.
-- Model: models.bert_large (24 layers, hidden 1024, sequence 512).  Optimizer LAMB ("opt_lamb_*" keys in the log).
-- Evaluation (audit 2026-12-07; MLPerf times BERT's evaluations inside run_start..run_stop): prishajain1/training_results_v5.0, NVIDIA/benchmarks/bert/implementations/tyche_ngpu64_ngc25.04_pytorch/config_GB200_16x4x36x1_pack.sh:
-- "export EVAL_ITER_START_SAMPLES=200000", "export EVAL_ITER_SAMPLES=200000"; run_pretraining.py: "eval_steps = [math.ceil(i/samples_trained_per_step) for i in
-- np.arange(start, stop, step)]" (start = EVAL_ITER_START_SAMPLES, step = EVAL_ITER_SAMPLES, samples_trained_per_step
-- the 4608 sequences of a step); each pass runs the forward pass on "eval_samples" 10,000 (quoted above) unpacked
-- sequences of up to 512 tokens, one 512-token row each in the model.  The case states eval = { every = "44 steps"
-- (D: ceil(200000 / 4608), the first boundary; later ones fall every 43.40 steps on average), samples = 10000 }:
-- 16 passes in 717 steps; result_0..9.txt log 17 15 17 16 17 15 16 17 17 17 eval_start/eval_stop pairs.
-- Not modelled: the padding left inside
-- the packed rows, attention kept within each packed sequence, the input pipeline.
-- Precision fp8 (audit 2026-12-07): tyche_ngpu64_ngc25.04_pytorch/config_GB200_16x4x36x1_pack.sh also sets
-- "--use_transformer_engine2" in EXTRA_PARAMS, which run_pretraining.py describes as "Enable FP8 layers" (te_layers.py
-- runs each layer's QKV, projection and FFN products as fp8_gemm): precision = "fp8" (the model's 8-bit products and
-- casts; attention core, output head at 16 bits).  The case stated fp16 before although the run is FP8; docs/validation.md,
-- "Where the model is off", says what the model still misses on it.
-- Distributed LAMB (audit 2026-12-07): prishajain1/training_results_v5.0, NVIDIA/benchmarks/bert/implementations/tyche_ngpu64_ngc25.04_pytorch/run_and_time.sh: "--distributed_lamb --dwu-num-rs-pg=1 --dwu-num-ar-pg=1 --dwu-num-ag-pg=1
-- --dwu-num-blocks=1"; run_pretraining.py: "from apex.contrib.optimizers.distributed_fused_lamb import DistributedFusedLAMB",
-- "full_ar = torch.cuda.device_count() < torch.distributed.get_world_size()", "overlap_reductions=args.dwu_overlap_reductions",
-- "dwu_group_size=args.dwu_group_size" ('--dwu-group-size' help='distributed weight update group size. If arg is 0, defaults
-- to one node'; '--dwu-overlap-reductions' default=False).  apex (NVIDIA/apex, apex/contrib/optimizers/distributed_fused_lamb.py):
-- "self._group_size = torch.cuda.device_count() if dwu_group_size <= 0 else dwu_group_size"; each rank keeps the fp32
-- master weights and moments of its 1/group shard ("self._fp32_p = torch.zeros([self._mega_shard_size]"), updates it,
-- and all-gathers the new weights inside the group in _pipeline_step, after the update; with full_ar ("full all reduce,
-- only need AR and AG groups") the gradients are all-reduced over every rank, without it reduce-scattered in the group;
-- without overlap_reductions they are reduced after the backward pass ("if self._first_step or self._last_step or not
-- self._overlap_reductions: # nothing done so far, run full pipeline after reductions").
-- Here: config_GB200_16x4x36x1_pack.sh: "export EXTRA_PARAMS=\" --dwu-group-size=4  --dense_seq_output ...
-- --eval_cuda_graph \"" (no --dwu-overlap-reductions): groups of 4, full_ar holds (4 < 64 ranks) and nothing
-- overlaps: parallel = { zero = 1, shard_group = 4, grad_reduce = "all-reduce", dp_overlap = false }.
-- NCCL (audit 2026-12-07): mlcommons/training_results_v5.0, NVIDIA/benchmarks/bert/implementations/tyche_ngpu64_ngc25.04_pytorch/config_common.sh
-- (sourced by config_GB200_16x4x36x1_pack.sh), line 1: "export NCCL_NVLS_ENABLE=1": NCCL reduces in the NVLink switches, as the
-- catalog's nvlink_sharp has the model do (docs/model.md, "GPU nodes").  The config leaves SHARP across
-- InfiniBand off: "#export SBATCH_NETWORK=sharp" (commented out).
-- Attention (audit 2026-12-07, bw11): prishajain1/training_results_v5.0 at ab57af8, NVIDIA/benchmarks/bert/implementations/
-- tyche_ngpu64_ngc25.04_pytorch/config_GB200_16x4x36x1_pack.sh: "export USE_FLASH_ATTENTION=1"; te_layers.py: "use_flash_attn =
-- os.getenv('USE_FLASH_ATTENTION', '0') == '1'", "from flash_attn.flash_attn_interface import _flash_attn_varlen_forward
-- as _flash_attn_forward", and with it the QKV product writes fp16 ("torch.float16") and the core runs
-- "_flash_attn_forward(...)" (backward "_flash_attn_backward(...)"), not Transformer Engine's FP8 fused attention
-- ("FusedAttnBackend[\"FP8\"]", the other branch): attention = "flash2" (FlashAttention-2's own kernels at 16 bits;
-- docs/model.md, "Operator-level model: the layers").
local sys = cluster { accelerator = gpu { sku = "GB200", count = 64, per_node = 4, network = "1600 Gbit/s",
                                          price = "0 USD/device-hour" } } -- cost is not validated here
-- The sequences this run trained on (D, above); only the step count matters here.  bytes (D): 512 token ids of 2
-- bytes per sequence; no download or host CPU is modelled.
local wiki = dataset { name = "mlperf-bert-wikipedia-phase2", samples = 3299998, bytes = 3379197952, kind = "tokens" }

run(sys, function(r)
  r:provision(sys.accelerator)
  r:train { stack = "tuned", model = models.bert_large, data = wiki, batch = 2304, micro_batch = 36, steps = 717, precision = "fp8", attention = "flash2",
            optimizer = "lamb", parallel = { zero = 1, shard_group = 4, grad_reduce = "all-reduce", dp_overlap = false },
            eval = { every = "44 steps", samples = 10000 } }
  r:release(sys.accelerator)
end)

published = {
  metric = "time_s", value = 39.375,
  source = "MLPerf Training v5.0, NVIDIA, tyche_ngpu64_ngc25.04_pytorch, bert, results/tyche_ngpu64_ngc25.04_pytorch/bert/result_*.txt",
  note = "Time to train (run_stop - run_start), olympic mean of 10 runs (8 kept; one aborted run counted as the slowest); 717 steps of 4608 sequences (D, header).",
  stack_evidence = "result_0.txt: \"key\": \"submission_division\", \"value\": \"closed\" (MLPerf Training v5.0, closed division)",
}
