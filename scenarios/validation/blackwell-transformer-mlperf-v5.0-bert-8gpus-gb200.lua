-- Was staged until 2026-12-07 (added 2026-12-06 for want of a refit); joined the fit with the GB200 NVL72 rack
-- modelled as one NVLink domain (its 2 nodes x 4 GPUs reduce over NVLink, not InfiniBand): -14.4 % before the refit.
--
-- MLPerf Training v5.0, closed division, NVIDIA, tyche_ngpu8_ngc25.04_pytorch: BERT-large phase-2 pre-training (sequence 512,
-- from the benchmark's phase-1 checkpoint) on Wikipedia to 72.0 % masked-LM accuracy, 8 x NVIDIA GB200 (2 nodes x 4,
-- two nodes of one GB200 NVL72 rack), PyTorch (NVIDIA PyTorch Release 25.04).
-- stack: tuned (MLPerf closed-division submission: result logs "submission_division": "closed", quoted below)
--
-- System description (NVIDIA/systems/tyche_ngpu8_ngc25.04_pytorch.json):
--   "system_name": "Tyche (1x NVIDIA GB200 NVL72)"
--   "division": "closed"
--   "status": "Available on-premise"
--   "number_of_nodes": "2"
--   "accelerators_per_node": "4"
--   "accelerator_model_name": "NVIDIA Blackwell GPU (GB200)"
--   "accelerator_memory_capacity": "189471 MiB"
--   "accelerator_interconnect": "NVLINK Gen5 1800 GB/s + NVSWITCH Gen5"
--   "host_networking": "4x ConnectX-7 IB NDR 400Gb/s"
--   "framework": "NVIDIA PyTorch Release 25.04"
--
-- Result logs (prishajain1/training_results_v5.0 (fork holding the v5.0 round, read at ab57af8),
-- NVIDIA/results/tyche_ngpu8_ngc25.04_pytorch/bert/): 10 files; MLLOG lines quoted as logged.
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1745046610711, "event_type": "POINT_IN_TIME", "key": "submission_division", "value": "closed", "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1397}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1745046610711, "event_type": "POINT_IN_TIME", "key": "submission_platform", "value": "2xNVIDIA GB200", "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1397}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1745046610711, "event_type": "POINT_IN_TIME", "key": "global_batch_size", "value": 768, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1401}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1745046610711, "event_type": "POINT_IN_TIME", "key": "d_batch_size", "value": 48, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1403}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1745046610711, "event_type": "POINT_IN_TIME", "key": "gradient_accumulation_steps", "value": 1, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1405}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1745046610711, "event_type": "POINT_IN_TIME", "key": "max_predictions_per_seq", "value": 76, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1407}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1745046613411, "event_type": "POINT_IN_TIME", "key": "opt_base_learning_rate", "value": 0.00096, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 991}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1745046614931, "event_type": "POINT_IN_TIME", "key": "opt_lamb_beta_1", "value": 0.60466, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1033}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1745046822229, "event_type": "POINT_IN_TIME", "key": "eval_samples", "value": 10000, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2165}}
--   result_0.txt [kept]: run 201.514 s
--     :::MLLOG {"namespace": "", "time_ms": 1745046620716, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1783}}
--     :::MLLOG {"namespace": "", "time_ms": 1745046822230, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2168, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1745046822228, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 2398870, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2162}}
--   result_1.txt [kept]: run 201.492 s
--     :::MLLOG {"namespace": "", "time_ms": 1745046918040, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1783}}
--     :::MLLOG {"namespace": "", "time_ms": 1745047119532, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2168, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1745047119529, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 2401197, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2162}}
--   result_2.txt [kept]: run 201.723 s
--     :::MLLOG {"namespace": "", "time_ms": 1745047174269, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1783}}
--     :::MLLOG {"namespace": "", "time_ms": 1745047375992, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2168, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1745047375989, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 2400040, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2162}}
--   result_3.txt [kept]: run 201.899 s
--     :::MLLOG {"namespace": "", "time_ms": 1745047436813, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1783}}
--     :::MLLOG {"namespace": "", "time_ms": 1745047638712, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2168, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1745047638710, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 2399645, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2162}}
--   result_4.txt [kept]: run 213.883 s
--     :::MLLOG {"namespace": "", "time_ms": 1745047693503, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1783}}
--     :::MLLOG {"namespace": "", "time_ms": 1745047907386, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2168, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1745047907383, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 2548852, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2162}}
--   result_5.txt [dropped (olympic)]: run 189.683 s
--     :::MLLOG {"namespace": "", "time_ms": 1745046622197, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1783}}
--     :::MLLOG {"namespace": "", "time_ms": 1745046811880, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2168, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1745046811878, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 2249816, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2162}}
--   result_6.txt [kept]: run 214.434 s
--     :::MLLOG {"namespace": "", "time_ms": 1745046879100, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1783}}
--     :::MLLOG {"namespace": "", "time_ms": 1745047093534, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2168, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1745047093531, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 2548354, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2162}}
--   result_7.txt [kept]: run 201.951 s
--     :::MLLOG {"namespace": "", "time_ms": 1745047162694, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1783}}
--     :::MLLOG {"namespace": "", "time_ms": 1745047364645, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2168, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1745047364642, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 2399397, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2162}}
--   result_8.txt [dropped (olympic)]: run 214.510 s
--     :::MLLOG {"namespace": "", "time_ms": 1745047424068, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1783}}
--     :::MLLOG {"namespace": "", "time_ms": 1745047638578, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2168, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1745047638575, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 2550530, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2162}}
--   result_9.txt [kept]: run 202.079 s
--     :::MLLOG {"namespace": "", "time_ms": 1745047693332, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1783}}
--     :::MLLOG {"namespace": "", "time_ms": 1745047895411, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2168, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1745047895409, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 2399799, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 2162}}
--
-- Layout and precision (NVIDIA/benchmarks/bert/implementations/tyche_ngpu8_ngc25.04_pytorch, implementation of this
-- result): config_GB200_2x4x48x1_pack.sh: "export BATCHSIZE=48", "export GRADIENT_STEPS=1", "export PACKING_FACTOR=2",
-- "export DGXNGPU=4", "export DGXNNODES=2", EXTRA_PARAMS with "--packed_samples"; run_and_time.sh: "--fp16" and
-- "--init_checkpoint=/workspace/phase1/model.ckpt-28252.pt".
-- Check (D): 48 packed rows per GPU x 8 GPUs = 384 packed rows ("d_batch_size" 48), x packing factor 2 = 768
-- sequences, the logged global batch.
-- Nodes of 4 GPUs (two nodes of one GB200 NVL72 rack, NVLink inside each rack: the catalog's nvlink_domain of 72 makes
-- them one domain; the 4 x 400 Gbit/s ConnectX-7 per node are each node's scale-out network), as for the other cases on Tyche.
-- Scoring (mlcommons/training_policies, training_rules.adoc, "Benchmark Results"): "Each benchmark result is computed
-- by dropping the fastest and slowest runs, then taking the mean of the remaining times".  Time to train =
-- run_stop - run_start.
-- D: time_s = mean of the kept runs' run_stop - run_start = 204.872 s.
-- D: sequences trained = mean of the kept runs' train_samples = 2437019.2; steps = ceil(2437019.2 / 768) = 3174.
-- The devices compute packed rows of 512 tokens, so the case states the step in them: batch = 384 packed rows,
-- micro_batch = 48 (D), as the 8-GPU B200 case of the same round does.
-- Model: models.bert_large (24 layers, hidden 1024, sequence 512).  Optimizer LAMB ("opt_lamb_*" keys in the log).
-- Evaluation (audit 2026-12-07; MLPerf times BERT's evaluations inside run_start..run_stop): prishajain1/training_results_v5.0, NVIDIA/benchmarks/bert/implementations/tyche_ngpu8_ngc25.04_pytorch/config_GB200_2x4x48x1_pack.sh:
-- "export EVAL_ITER_START_SAMPLES=150000", "export EVAL_ITER_SAMPLES=150000"; run_pretraining.py: "eval_steps = [math.ceil(i/samples_trained_per_step) for i in
-- np.arange(start, stop, step)]" (start = EVAL_ITER_START_SAMPLES, step = EVAL_ITER_SAMPLES, samples_trained_per_step
-- the 768 sequences of a step); each pass runs the forward pass on "eval_samples" 10,000 (quoted above) unpacked
-- sequences of up to 512 tokens, one 512-token row each in the model.  The case states eval = { every = "196 steps"
-- (D: ceil(150000 / 768), the first boundary; later ones fall every 195.31 steps on average), samples = 10000 }:
-- 16 passes in 3174 steps; result_0..9.txt log 16 16 16 16 17 15 17 16 17 16 eval_start/eval_stop pairs.
-- Not modelled: the padding left inside
-- the packed rows, attention kept within each packed sequence, the input pipeline.
-- Precision fp8 (audit 2026-12-07): tyche_ngpu8_ngc25.04_pytorch/config_GB200_2x4x48x1_pack.sh also sets
-- "--use_transformer_engine2" in EXTRA_PARAMS, which run_pretraining.py describes as "Enable FP8 layers" (te_layers.py
-- runs each layer's QKV, projection and FFN products as fp8_gemm): precision = "fp8" (the model's 8-bit products and
-- casts; attention core, output head at 16 bits).  The case stated fp16 before although the run is FP8; docs/validation.md,
-- "Where the model is off", says what the model still misses on it.
-- Distributed LAMB (audit 2026-12-07): prishajain1/training_results_v5.0, NVIDIA/benchmarks/bert/implementations/tyche_ngpu8_ngc25.04_pytorch/run_and_time.sh: "--distributed_lamb --dwu-num-rs-pg=1 --dwu-num-ar-pg=1 --dwu-num-ag-pg=1
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
-- Here: config_GB200_2x4x48x1_pack.sh: "export DGXNGPU=4", "export DGXNNODES=2", and its EXTRA_PARAMS set no --dwu-*
-- flag: the group is one node's 4 GPUs, full_ar holds (4 < 8 ranks) and nothing overlaps: parallel = { zero = 1,
-- shard_group = 4, grad_reduce = "all-reduce", dp_overlap = false }.
-- NCCL (audit 2026-12-07): mlcommons/training_results_v5.0, NVIDIA/benchmarks/bert/implementations/tyche_ngpu8_ngc25.04_pytorch/config_common.sh
-- (sourced by config_GB200_2x4x48x1_pack.sh), line 1: "export NCCL_NVLS_ENABLE=1": NCCL reduces in the NVLink switches, as the
-- catalog's nvlink_sharp has the model do (docs/model.md, "GPU nodes").
-- Attention (audit 2026-12-07, bw11): prishajain1/training_results_v5.0 at ab57af8, NVIDIA/benchmarks/bert/implementations/
-- tyche_ngpu8_ngc25.04_pytorch/config_GB200_2x4x48x1_pack.sh: "export USE_FLASH_ATTENTION=1"; te_layers.py: "use_flash_attn =
-- os.getenv('USE_FLASH_ATTENTION', '0') == '1'", "from flash_attn.flash_attn_interface import _flash_attn_varlen_forward
-- as _flash_attn_forward", and with it the QKV product writes fp16 ("torch.float16") and the core runs
-- "_flash_attn_forward(...)" (backward "_flash_attn_backward(...)"), not Transformer Engine's FP8 fused attention
-- ("FusedAttnBackend[\"FP8\"]", the other branch): attention = "flash2" (FlashAttention-2's own kernels at 16 bits;
-- docs/model.md, "Operator-level model: the layers").
local sys = cluster { accelerator = gpu { sku = "GB200", count = 8, per_node = 4, network = "1600 Gbit/s",
                                          price = "0 USD/device-hour" } } -- cost is not validated here
-- The sequences this run trained on (D, above); only the step count matters here.  bytes (D): 512 token ids of 2
-- bytes per sequence; no download or host CPU is modelled.
local wiki = dataset { name = "mlperf-bert-wikipedia-phase2", samples = 2437019, bytes = 2495507456, kind = "tokens" }

run(sys, function(r)
  r:provision(sys.accelerator)
  r:train { stack = "tuned", model = models.bert_large, data = wiki, batch = 384, micro_batch = 48, steps = 3174, precision = "fp8", attention = "flash2",
            optimizer = "lamb", parallel = { zero = 1, shard_group = 4, grad_reduce = "all-reduce", dp_overlap = false },
            eval = { every = "196 steps", samples = 10000 } }
  r:release(sys.accelerator)
end)

published = {
  metric = "time_s", value = 204.872,
  source = "MLPerf Training v5.0, NVIDIA, tyche_ngpu8_ngc25.04_pytorch, bert, results/tyche_ngpu8_ngc25.04_pytorch/bert/result_*.txt",
  note = "Time to train (run_stop - run_start), olympic mean of 10 runs (8 kept); 3174 steps of 768 sequences (D, header).",
  stack_evidence = "result_0.txt: \"key\": \"submission_division\", \"value\": \"closed\" (MLPerf Training v5.0, closed division)",
}
