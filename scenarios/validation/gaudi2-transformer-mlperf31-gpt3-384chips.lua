-- GPT-3 175B (MLPerf Training GPT-3 benchmark) on 384 Intel Gaudi 2: MLPerf Training v3.1, closed division,
-- Intel-HabanaLabs, system HLS-Gaudi2-N48-PT, mlcommons/training_results_v3.1.
-- stack: tuned (MLPerf closed-division submission: result logs "submission_division": "closed";
-- PyTorch 2.0.1a0, synapseAI 1.13.99).
--
-- System (Intel-HabanaLabs/systems/HLS-Gaudi2-N48-PT.json): "number_of_nodes": "48", "accelerators_per_node": "8",
-- "accelerator_model_name": "Intel Gaudi2",
-- "accelerator_interconnect": "24x 100Gb/s Ethernet" -> 384 Gaudi 2.
-- Command (Intel-HabanaLabs/benchmarks/README.md, "Running GPT3 on HLS-Gaudi2-N48-PT System"):
--   --num-nodes 48 --data-parallel-size 8 --pipeline-model-parallel-size 6 ... --global-batch-size 2048
--   --micro-batch-size 2 --eval-interval 12 ... --use-fp8-transformer-engine
-- and run_gpt.sh defaults TP=8, ZERO_STAGE=0, SEQUENCE_PARALLEL=true, --checkpoint-activations
-- --checkpoint-activations-granularity=selective (Intel-HabanaLabs/benchmarks/gpt3/Megatron-DeepSpeed/run_gpt.sh).
-- So tensor 8 x pipeline 6 x data 8 = 384; micro-batch 2; FP8 (Intel Gaudi Transformer Engine).
-- The benchmark's model: 96 layers, hidden 12288, 96 heads, ffn 49152 (the logs' num_layers, hidden_size, num_heads,
-- ffn_hidden_size lines), sequence 2048; the vocabulary is not in these logs: 50304 as in the benchmark's MaxText
-- configuration (configs/models/gpt3-175b.yml, vendored in mlcommons/training_results_v4.0 Google/benchmarks).
--
-- Result logs (Intel-HabanaLabs/results/HLS-Gaudi2-N48-PT/gpt3/result_*.txt), the lines used, from result_2.txt:
--   :::MLLOG {"namespace": "", "time_ms": 1696566161334, "event_type": "POINT_IN_TIME", "key": "submission_division", "value": "closed", "metadata": {"file": "/root/model_garden/PyTorch/nlp/DeepSpeedExamples/Megatron-DeepSpeed/megatron/training.py", "lineno": 178}}
--   :::MLLOG {"namespace": "", "time_ms": 1696566161335, "event_type": "POINT_IN_TIME", "key": "global_batch_size", "value": 2048, "metadata": {"file": "/root/model_garden/PyTorch/nlp/DeepSpeedExamples/Megatron-DeepSpeed/megatron/training.py", "lineno": 203}}
--   :::MLLOG {"namespace": "", "time_ms": 1696566161336, "event_type": "POINT_IN_TIME", "key": "max_sequence_length", "value": 2048, "metadata": {"file": "/root/model_garden/PyTorch/nlp/DeepSpeedExamples/Megatron-DeepSpeed/megatron/training.py", "lineno": 206}}
--   :::MLLOG {"namespace": "", "time_ms": 1696566161335, "event_type": "POINT_IN_TIME", "key": "gradient_accumulation_steps", "value": 128, "metadata": {"file": "/root/model_garden/PyTorch/nlp/DeepSpeedExamples/Megatron-DeepSpeed/megatron/training.py", "lineno": 204}}
--   :::MLLOG {"namespace": "", "time_ms": 1696566161334, "event_type": "POINT_IN_TIME", "key": "opt_name", "value": "adam", "metadata": {"file": "/root/model_garden/PyTorch/nlp/DeepSpeedExamples/Megatron-DeepSpeed/megatron/training.py", "lineno": 190}}
--   :::MLLOG {"namespace": "", "time_ms": 1696566161336, "event_type": "POINT_IN_TIME", "key": "eval_samples", "value": 11590004, "metadata": {"file": "/root/model_garden/PyTorch/nlp/DeepSpeedExamples/Megatron-DeepSpeed/megatron/training.py", "lineno": 207}}
--   :::MLLOG {"namespace": "", "time_ms": 1696566854773, "event_type": "INTERVAL_START", "key": "run_start", "value": null, "metadata": {"file": "/root/model_garden/PyTorch/nlp/DeepSpeedExamples/Megatron-DeepSpeed/megatron/training.py", "lineno": 236}}
--   :::MLLOG {"namespace": "", "time_ms": 1696576069653, "event_type": "INTERVAL_END", "key": "run_stop", "value": null, "metadata": {"file": "/root/model_garden/PyTorch/nlp/DeepSpeedExamples/Megatron-DeepSpeed/megatron/training.py", "lineno": 1200, "status": "success"}}
--   :::MLLOG {"namespace": "", "time_ms": 1696576069641, "event_type": "POINT_IN_TIME", "key": "train_samples", "value": 1207959552, "metadata": {"file": "/root/model_garden/PyTorch/nlp/DeepSpeedExamples/Megatron-DeepSpeed/megatron/training.py", "lineno": 1190}}
-- run_stop - run_start of each result file: result_0.txt 9215.017 s, result_1.txt 9212.433 s, result_2.txt 9214.880 s.
-- MLPerf drops the fastest and the slowest run and averages the rest (mlcommons/training_policies
-- training_rules.adoc, "Benchmark Results"; GPT-3: 3 runs): the middle run, 9214.880 s (D). It trained 1207959552 tokens
-- (train_samples, in tokens) = 288 steps of 2048 x 2048 tokens (D).
-- Evaluation: --eval-interval 12 steps = 24,576 sequences, inside the timed region (24 eval_accuracy lines);
-- "eval_samples" counts tokens: 11590004 / 2048 = 5660 sequences per evaluation (D, rounded up). The dataset is
-- declared as one evaluation interval (24,576 sequences) so that eval every 1 epoch = every 12 steps.
-- Scale-out network per 8-card server: 3 of each card's 24 RoCE ports x 100 Gbit/s x 8 = 2400 Gbit/s (D; catalog).
-- Approximations: selective (attention-only) recomputation is stated as recompute = "auto"; SEQUENCE_PARALLEL=true (run_gpt.sh, above) is
-- sequence_parallel = true.
local cluster_ = cluster { accelerator = gpu { sku = "Gaudi2", count = 384, per_node = 8, network = "2400 Gbit/s",
                                               price = "0 USD/device-hour" } }
local c4_interval = dataset { name = "c4/en (one MLPerf gpt3 evaluation interval)", samples = 24576,
                              bytes = "201326592 B", kind = "tokens", eval_samples = 5660 }
-- Architecture (facts; no field chosen to move a prediction): 96 heads of 128, MLP 49,152 = 4 x hidden (GELU),
-- tied embeddings: the benchmark's GPT-3 175B as above, the shape of Brown et al. 2020, arXiv 2005.14165
-- (May 2020, https://arxiv.org/abs/2005.14165), Table 2.1 (n_heads 96, d_head 128).  The shape counts
-- 174.6 B parameters, 0.25 % below the paper's 175 B (biases and the position table left out).
local gpt3 = models.gpt { name = "gpt3-175b", layers = 96, width = 12288, seq = 2048, vocab = 50304,
                          heads = 96 }

run(cluster_, function(r)
  r:provision(cluster_.accelerator)
  r:train { stack = "tuned", model = gpt3, data = c4_interval, batch = 2048, micro_batch = 2, steps = 288, precision = "fp8",
            optimizer = "adam", parallel = { tensor = 8, sequence_parallel = true, pipeline = 6, recompute = "auto" },
            eval = { every = "1 epochs" } }
  r:release(cluster_.accelerator)
end)

published = {
  metric = "time_s", value = 9214.880,
  source = "MLPerf Training v3.1, Intel-HabanaLabs, HLS-Gaudi2-N48-PT, gpt3, mlcommons/training_results_v3.1/Intel-HabanaLabs/results/HLS-Gaudi2-N48-PT/gpt3/result_*.txt",
  note = "Olympic score of 3 runs (run_stop - run_start): 1207959552 tokens = 288 steps at global batch 2048, FP8, "
      .. "with 24 evaluations of 5660 sequences inside the timed region.",
  stack_evidence = "MLPerf Training v3.1 result log mlcommons/training_results_v3.1/Intel-HabanaLabs/results/HLS-Gaudi2-N48-PT/gpt3/result_2.txt: \"key\": \"submission_division\", \"value\": \"closed\"",
}
