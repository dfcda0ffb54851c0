-- MLPerf Training v5.1, closed division, NVIDIA, tyche_ngpu72_ngc25.09_nemo: Llama 3.1 8B pre-training on C4 (benchmark "llama31_8b") to
-- the benchmark's target validation log perplexity, 72 x NVIDIA GB200 (Blackwell GPU of a GB200 NVL72) (18 nodes x 4), NeMo (NVIDIA NeMo Framework Release 25.09).
-- stack: tuned (MLPerf closed-division submission: result logs "submission_division": "closed", quoted below)
--
-- System description (NVIDIA/systems/tyche_ngpu72_ngc25.09_nemo.json):
--   "system_name": "Tyche (1x NVIDIA GB200 NVL72)"
--   "division": "closed"
--   "status": "Available on-premise"
--   "number_of_nodes": "18"
--   "accelerators_per_node": "4"
--   "accelerator_model_name": "NVIDIA Blackwell GPU (GB200)"
--   "accelerator_memory_capacity": "189471 MiB"
--   "accelerator_interconnect": "NVLINK Gen5 1800 GB/s + NVSWITCH Gen5"
--   "host_networking": "4x ConnectX-7 IB NDR 400 Gb/s"
--   "framework": "NVIDIA NeMo Framework Release 25.09"
-- Network (D): the compute links of "host_networking" per node, 1600 Gbit/s.
--
-- Result logs (mlcommons/training_results_v5.1, NVIDIA/results/tyche_ngpu72_ngc25.09_nemo/llama31_8b/): 10 files; MLLOG lines quoted as logged.
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1759923675513, "event_type": "POINT_IN_TIME", "key": "submission_division", "value": "closed", "metadata": {"file": "/workspace/llm/pretrain.py", "lineno": 566}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1759923675513, "event_type": "POINT_IN_TIME", "key": "submission_platform", "value": "18xNVIDIA GB200", "metadata": {"file": "/workspace/llm/pretrain.py", "lineno": 566}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1759923675513, "event_type": "POINT_IN_TIME", "key": "global_batch_size", "value": 36, "metadata": {"file": "/workspace/llm/pretrain.py", "lineno": 601}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1759923675513, "event_type": "POINT_IN_TIME", "key": "gradient_accumulation_steps", "value": 1.0, "metadata": {"file": "/workspace/llm/pretrain.py", "lineno": 601}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1759923675514, "event_type": "POINT_IN_TIME", "key": "max_sequence_length", "value": 8192, "metadata": {"file": "/workspace/llm/pretrain.py", "lineno": 601}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1759923675514, "event_type": "POINT_IN_TIME", "key": "opt_name", "value": "adamw", "metadata": {"file": "/workspace/llm/pretrain.py", "lineno": 601}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1759923675514, "event_type": "POINT_IN_TIME", "key": "init_checkpoint_step", "value": 0, "metadata": {"file": "/workspace/llm/pretrain.py", "lineno": 601}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1759923675514, "event_type": "POINT_IN_TIME", "key": "eval_samples", "value": 1024, "metadata": {"file": "/workspace/llm/pretrain.py", "lineno": 601}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1759923675516, "event_type": "POINT_IN_TIME", "key": "target_accuracy", "value": 3.3, "metadata": {"file": "/workspace/llm/pretrain.py", "lineno": 601}}
--   result_0.txt [dropped (olympic)]: run 829.260 s
--     :::MLLOG {"namespace": "", "time_ms": 1759923763200, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 83}}
--     :::MLLOG {"namespace": "", "time_ms": 1759924592460, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 106, "step": 4788, "samples_count": 172368, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1759924592441, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 3.2973780632019043, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 272, "samples_count": 172368}}
--   result_1.txt [kept]: run 899.700 s
--     :::MLLOG {"namespace": "", "time_ms": 1759924553389, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 83}}
--     :::MLLOG {"namespace": "", "time_ms": 1759925453089, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 106, "step": 5130, "samples_count": 184680, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1759925453071, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 3.2785279750823975, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 272, "samples_count": 184680}}
--   result_2.txt [kept]: run 842.450 s
--     :::MLLOG {"namespace": "", "time_ms": 1759924560124, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 83}}
--     :::MLLOG {"namespace": "", "time_ms": 1759925402574, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 106, "step": 4788, "samples_count": 172368, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1759925402556, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 3.2904536724090576, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 272, "samples_count": 172368}}
--   result_3.txt [kept]: run 909.212 s
--     :::MLLOG {"namespace": "", "time_ms": 1759924621753, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 83}}
--     :::MLLOG {"namespace": "", "time_ms": 1759925530965, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 106, "step": 5130, "samples_count": 184680, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1759925530946, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 3.2763423919677734, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 272, "samples_count": 184680}}
--   result_4.txt [kept]: run 839.407 s
--     :::MLLOG {"namespace": "", "time_ms": 1759924644163, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 83}}
--     :::MLLOG {"namespace": "", "time_ms": 1759925483570, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 106, "step": 4788, "samples_count": 172368, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1759925483551, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 3.2917208671569824, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 272, "samples_count": 172368}}
--   result_5.txt [kept]: run 907.923 s
--     :::MLLOG {"namespace": "", "time_ms": 1759924656883, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 83}}
--     :::MLLOG {"namespace": "", "time_ms": 1759925564806, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 106, "step": 5130, "samples_count": 184680, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1759925564788, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 3.2918617725372314, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 272, "samples_count": 184680}}
--   result_6.txt [kept]: run 898.194 s
--     :::MLLOG {"namespace": "", "time_ms": 1759924848892, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 83}}
--     :::MLLOG {"namespace": "", "time_ms": 1759925747086, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 106, "step": 5130, "samples_count": 184680, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1759925747068, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 3.2872278690338135, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 272, "samples_count": 184680}}
--   result_7.txt [kept]: run 888.780 s
--     :::MLLOG {"namespace": "", "time_ms": 1759924867143, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 83}}
--     :::MLLOG {"namespace": "", "time_ms": 1759925755923, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 106, "step": 5130, "samples_count": 184680, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1759925755904, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 3.2765958309173584, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 272, "samples_count": 184680}}
--   result_8.txt [kept]: run 898.068 s
--     :::MLLOG {"namespace": "", "time_ms": 1759924917357, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 83}}
--     :::MLLOG {"namespace": "", "time_ms": 1759925815425, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 106, "step": 5130, "samples_count": 184680, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1759925815405, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 3.2968246936798096, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 272, "samples_count": 184680}}
--   result_9.txt [dropped (olympic)]: run 912.790 s
--     :::MLLOG {"namespace": "", "time_ms": 1759924931392, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 83}}
--     :::MLLOG {"namespace": "", "time_ms": 1759925844182, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 106, "step": 5130, "samples_count": 184680, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1759925844162, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 3.2956018447875977, "metadata": {"file": "/usr/local/lib/python3.12/dist-packages/mlperf_common/callbacks/logging.py", "lineno": 272, "samples_count": 184680}}
--
-- Layout and precision (NVIDIA/benchmarks/llama31_8b/implementations/nemo, implementation of this result):
--   config_GB200_18x4x1xtp1pp1cp2_8b.sh: "export MINIBS=1", "export TENSOR_MODEL_PARALLEL=1", "export PIPELINE_MODEL_PARALLEL=1",
--     "export CONTEXT_PARALLEL=2", "export MICRO_BATCH_SIZE=1", "export DGXNNODES=18", "export DGXNGPU=4" (the only
--     config of 18 x 4 GPUs for this benchmark).  Nodes of 4 GPUs, as for the 405B case on Tyche.
--   config_GB200_18x4x1xtp1pp1cp2_8b.sh: "export VAL_CHECK_INTERVAL=342" (steps)
--   USE_DIST_OPTIMIZER=True: optimizer state sharded over data-parallel ranks (zero = 1).
-- Check (D): data parallel = 72 GPUs / (TP 1 x PP 1 x CP 2) = 36; 36 x micro-batch 1 x 1 accumulation steps = 36,
-- the logged global batch.
-- Model: Llama 3.1 8B (meta-llama/Llama-3.1-8B model card and config.json: 32 layers, hidden 4,096, 32 attention heads,
-- 8 key/value heads, intermediate 14,336, vocabulary 128,256, "tie_word_embeddings": false; 8.03 B parameters); gated
-- (SwiGLU) FFN.  models.gpt counts 8.03 B parameters from this shape (D).
-- Precision fp8: "export FP8=True" (config_common.sh), "export FP8_HYBRID=True" (config_common_8b.sh); this config sources no config_common_fp4.sh.
-- Scoring (mlcommons/training_policies, training_rules.adoc): "Each benchmark result is computed by dropping the fastest
-- and slowest runs, then taking the mean of the remaining times" (10 runs here).  Time to train = run_stop - run_start
-- (initialisation excluded).  The published score may be scaled by an RCP factor (scaling.json); the raw time is compared.
-- D: time_s = mean of the kept runs = 885.467 s.
-- D: sequences trained = mean of the kept runs' "samples_count" at their last evaluation (the run stops there) =
--    (172368 + 172368 + 184680 + 184680 + 184680 + 184680 + 184680 + 184680) / 8 = 181602.0 = 5044 steps of 36 sequences of 8192 tokens.
-- D: the dataset below is the part of C4 this run trained on (bytes: 4-byte token ids, the vocabulary exceeds 65,536),
--    so one epoch is the run; evaluation every 342 steps = 342 x 36 / 181602.0 = 0.06779661017 epochs, on "eval_samples" sequences.
-- NCCL (audit 2026-12-07): mlcommons/training_results_v5.1, NVIDIA/benchmarks/llama31_8b/implementations/nemo/config_common.sh, sourced by the config above, line 24: "# This is needed to save memory. nvbug 4264087 tracks"
-- "export NCCL_NVLS_ENABLE=0": NCCL
-- does not reduce in the NVLink switches (no NVLS or NVLSTree); no file sets NCCL_ALGO or NCCL_COLLNET_ENABLE.  The
-- model's in-switch reduction (docs/model.md, "GPU nodes") does not act on this case: with the catalog's nvlink_sharp
-- cleared its prediction is unchanged (checked 2026-12-07), its reductions inside a node being hidden or rings.
local sys = cluster { accelerator = gpu { sku = "GB200", count = 72, per_node = 4, network = "1600 Gbit/s",
                                          price = "0 USD/device-hour" } } -- cost is not validated here
local c4 = dataset { name = "mlperf-c4-llama31 (trained part)", samples = 181602, bytes = 5950734336, eval_samples = 1024, kind = "tokens" }
local llama = models.gpt { name = "llama3.1-8b", layers = 32, width = 4096, heads = 32, kv_heads = 8, ffn = 14336, gated = true,
                           tied_embeddings = false, seq = 8192, vocab = 128256 }

run(sys, function(r)
  r:provision(sys.accelerator)
  r:train { stack = "tuned", model = llama, data = c4, batch = 36, micro_batch = 1, epochs = 1, precision = "fp8", optimizer = "adamw",
            parallel = { tensor = 1, pipeline = 1, virtual = 1, context = 2, zero = 1 }, eval = { every = "0.06779661017 epochs" } }
  r:release(sys.accelerator)
end)

published = {
  metric = "time_s", value = 885.467,
  source = "MLPerf Training v5.1, NVIDIA, tyche_ngpu72_ngc25.09_nemo, llama31_8b, results/tyche_ngpu72_ngc25.09_nemo/llama31_8b/result_*.txt",
  note = "Time to train (run_stop - run_start), olympic mean of 10 runs (8 kept); 5044 steps of 36 sequences of 8192 tokens on average (D, header).",
  stack_evidence = "result_0.txt: \"key\": \"submission_division\", \"value\": \"closed\" (MLPerf Training v5.1, closed division)",
}
