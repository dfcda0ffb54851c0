-- STAGED, not in the fit (audit 2026-12-06): as written the case cannot hold.  Its 5484 steps of 448 sequences
-- at 512 tokens each need 101 % of the A100's dense fp16 peak for the whole 1013 s even with every other term at
-- zero (trainsim validate with efficiency 1), so the run computes fewer tokens per sequence than 512.  Unlike the
-- v2.0/v3.1/v4.0/v5.0 BERT runs, its log shows no packing (d_batch_size 56 x 8 GPUs = the global batch 448), and
-- how many tokens it does compute (NVIDIA's implementation drops the padding) is not in the logs or the system
-- description.  It stays here until the sequences' token count is sourced (or packing/padding can be stated).
--
-- MLPerf Training v2.1, closed division, NVIDIA, dgxa100_ngc22.09_pytorch: BERT-large phase-2 pre-training (sequence 512, from the
-- benchmark's phase-1 checkpoint) on Wikipedia to 72.0 % masked-LM accuracy, 8 x NVIDIA A100 SXM4 80 GB (1 node x 8),
-- PyTorch (PyTorch NVIDIA Release 22.09).
-- stack: tuned (MLPerf closed-division submission: result logs "submission_division": "closed", quoted below)
--
-- System description (NVIDIA/systems/dgxa100_ngc22.09_pytorch.json):
--   "system_name": "dgxa100_ngc22.09_pytorch"
--   "division": "closed"
--   "status": "onprem"
--   "number_of_nodes": "1"
--   "accelerators_per_node": "8"
--   "accelerator_model_name": "NVIDIA A100-SXM4-80GB"
--   "accelerator_memory_capacity": "80 GB"
--   "accelerator_interconnect": "NVLINK 3.0, NVSWITCH 2.0 600GB/s"
--   "host_networking": "Storage: 2x ConnectX-6 IB HDR 200Gb/sec, Management: 1x ConnectX-6 Ethernet 100Gb/Sec, Compute: 8x ConnectX-6 IB HDR 200Gb/Sec"
--   "framework": "PyTorch NVIDIA Release 22.09"
--
-- Result logs (mlcommons/training_results_v2.1, NVIDIA/results/dgxa100_ngc22.09_pytorch/bert/): 10 files; MLLOG lines quoted as logged.
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1664526457427, "event_type": "POINT_IN_TIME", "key": "submission_division", "value": "closed", "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1186}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1664526457427, "event_type": "POINT_IN_TIME", "key": "submission_platform", "value": "1xNVIDIA DGX A100", "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1186}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1664526457427, "event_type": "POINT_IN_TIME", "key": "global_batch_size", "value": 448, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1190}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1664526457427, "event_type": "POINT_IN_TIME", "key": "d_batch_size", "value": 56, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1192}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1664526457427, "event_type": "POINT_IN_TIME", "key": "gradient_accumulation_steps", "value": 1, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1194}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1664526457427, "event_type": "POINT_IN_TIME", "key": "max_predictions_per_seq", "value": 76, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1196}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1664526460403, "event_type": "POINT_IN_TIME", "key": "opt_base_learning_rate", "value": 0.000425, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 817}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1664526464112, "event_type": "POINT_IN_TIME", "key": "opt_lamb_beta_1", "value": 0.9, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 856}}
--   result_0.txt: :::MLLOG {"namespace": "", "time_ms": 1664527399358, "event_type": "POINT_IN_TIME", "key": "eval_samples", "value": 10000, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1864}}
--   result_0.txt [dropped (olympic)]: run 925.828 s
--     :::MLLOG {"namespace": "", "time_ms": 1664526473534, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1521}}
--     :::MLLOG {"namespace": "", "time_ms": 1664527399362, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1867, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1664527399358, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 2250304, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1861}}
--   result_1.txt [kept]: run 1049.772 s
--     :::MLLOG {"namespace": "", "time_ms": 1664527428189, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1521}}
--     :::MLLOG {"namespace": "", "time_ms": 1664528477961, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1867, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1664528477961, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 2550016, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1861}}
--   result_2.txt [kept]: run 987.675 s
--     :::MLLOG {"namespace": "", "time_ms": 1664528505858, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1521}}
--     :::MLLOG {"namespace": "", "time_ms": 1664529493533, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1867, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1664529493532, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 2400384, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1861}}
--   result_3.txt [dropped (olympic)]: run 1111.603 s
--     :::MLLOG {"namespace": "", "time_ms": 1664525456042, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1521}}
--     :::MLLOG {"namespace": "", "time_ms": 1664526567645, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1867, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1664526567642, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 2700096, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1861}}
--   result_4.txt [kept]: run 1050.027 s
--     :::MLLOG {"namespace": "", "time_ms": 1664526595833, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1521}}
--     :::MLLOG {"namespace": "", "time_ms": 1664527645860, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1867, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1664527645854, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 2550016, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1861}}
--   result_5.txt [kept]: run 1050.194 s
--     :::MLLOG {"namespace": "", "time_ms": 1664527673714, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1521}}
--     :::MLLOG {"namespace": "", "time_ms": 1664528723908, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1867, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1664528723892, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 2550016, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1861}}
--   result_6.txt [kept]: run 988.610 s
--     :::MLLOG {"namespace": "", "time_ms": 1664528751227, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1521}}
--     :::MLLOG {"namespace": "", "time_ms": 1664529739837, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1867, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1664529739830, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 2400384, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1861}}
--   result_7.txt [kept]: run 991.607 s
--     :::MLLOG {"namespace": "", "time_ms": 1664525458774, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1521}}
--     :::MLLOG {"namespace": "", "time_ms": 1664526450381, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1867, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1664526450378, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 2400384, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1861}}
--   result_8.txt [kept]: run 993.042 s
--     :::MLLOG {"namespace": "", "time_ms": 1664526478943, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1521}}
--     :::MLLOG {"namespace": "", "time_ms": 1664527471985, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1867, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1664527471968, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 2400384, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1861}}
--   result_9.txt [kept]: run 992.503 s
--     :::MLLOG {"namespace": "", "time_ms": 1664527500629, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1521}}
--     :::MLLOG {"namespace": "", "time_ms": 1664528493132, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1867, "status": "success"}}
--     :::MLLOG {"namespace": "", "time_ms": 1664528493130, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 2400384, "metadata": {"file": "/workspace/bert/run_pretraining.py", "lineno": 1861}}
--
-- Precision: fp16, "--fp16" in NVIDIA/benchmarks/bert/implementations/pytorch-22.09/run_and_time.sh; the same script starts from "--init_checkpoint=/workspace/phase1/model.ckpt-28252.pt".
-- Scoring (mlcommons/training_policies, training_rules.adoc, "Benchmark Results"): "Each benchmark result is computed
-- by dropping the fastest and slowest runs, then taking the mean of the remaining times".  Time to train =
-- run_stop - run_start (initialisation excluded).
-- D: time_s = mean of the kept runs' run_stop - run_start = 1012.929 s.
-- D: sequences trained = mean of the kept runs' train_samples = 2456496.0; steps = ceil(2456496.0 / 448) = 5484.
-- Model: models.bert_large (24 layers, hidden 1024, sequence 512).  Optimizer LAMB ("opt_lamb_*" keys in the log).
-- Evaluation (audit 2026-12-07; MLPerf times BERT's evaluations inside run_start..run_stop): mlcommons/training_results_v2.1, NVIDIA/benchmarks/bert/implementations/pytorch-22.09/config_DGXA100_1x8x56x1.sh:
-- "export EVAL_ITER_START_SAMPLES=150000", "export EVAL_ITER_SAMPLES=150000"; run_pretraining.py: "eval_steps = [math.ceil(i/samples_trained_per_step) for i in
-- np.arange(start, stop, step)]" (start = EVAL_ITER_START_SAMPLES, step = EVAL_ITER_SAMPLES, samples_trained_per_step
-- the 448 sequences of a step); each pass runs the forward pass on "eval_samples" 10,000 (quoted above) unpacked
-- sequences of up to 512 tokens, one 512-token row each in the model.  The case states eval = { every = "335 steps"
-- (D: ceil(150000 / 448), the first boundary; later ones fall every 334.82 steps on average), samples = 10000 }:
-- 16 passes in 5484 steps; result_0..9.txt log 15 17 16 18 17 17 16 16 16 16 "eval_accuracy" lines.
-- Not modelled: sequence packing
-- (fewer padding tokens than 512 per sequence), the input pipeline.
local sys = cluster { accelerator = gpu { sku = "A100-SXM4-80GB", count = 8, per_node = 8,
                                          price = "0 USD/device-hour" } } -- cost is not validated here
-- The sequences this run trained on (D, header); only the step count matters here.  bytes (D): 512 token ids of 2 bytes
-- per sequence; no download or host CPU is modelled, so the size on disk plays no part.
local wiki = dataset { name = "mlperf-bert-wikipedia-phase2", samples = 2456496, bytes = 2515451904, kind = "tokens" }

run(sys, function(r)
  r:provision(sys.accelerator)
  r:train { stack = "tuned", model = models.bert_large, data = wiki, batch = 448, micro_batch = 56, steps = 5484, precision = "fp16",
            optimizer = "lamb",
            eval = { every = "335 steps", samples = 10000 } }
  r:release(sys.accelerator)
end)

published = {
  metric = "time_s", value = 1012.929,
  source = "MLPerf Training v2.1, NVIDIA, dgxa100_ngc22.09_pytorch, bert, results/dgxa100_ngc22.09_pytorch/bert/result_*.txt",
  note = "Time to train (run_stop - run_start), olympic mean of 10 runs (8 kept); 5484 steps of 448 sequences (D, header).",
  stack_evidence = "result_0.txt: \"key\": \"submission_division\", \"value\": \"closed\" (MLPerf Training v2.1, closed division)",
}
