-- MPT-7B, MosaicML 2023, "Introducing MPT-7B" (blog, 5 May 2023) and the mosaicml/mpt-7b model card: "trained on
-- 440 A100-40GBs for about 9.5 days", 1 T tokens of text and code, sequence 2048, FSDP sharded data parallelism,
-- LION optimizer, bf16, "with zero human intervention" (the blog says the run was restarted automatically after
-- hardware failures).
--
-- Published facts used: 6.7 B parameters (d_model 4096, 32 layers, 32 heads, vocabulary 50,432, llm-foundry
-- mpt-7b config); 1 T tokens; 440 A100 40 GB; FSDP FULL_SHARD (ZeRO-3); bf16; activation checkpointing as in
-- MosaicML's published 7B A100-40GB benchmark configurations; 1600 Gbit/s RoCE per node (the MosaicML platform,
-- llm-foundry benchmark README).  Global batch: 1760 sequences (from the blog's training details; 440 x 4;
-- re-check) - it hardly changes the time of a fixed number of tokens.  LION keeps one state buffer, as
-- momentum does.
local mosaic = cluster { accelerator = gpu { sku = "A100-SXM4-40GB", count = 440, per_node = 8,
                                             network = "1600 Gbit/s", price = "0 USD/device-hour" } }
local mix = dataset { name = "mpt-7b-mix", samples = 488281250, bytes = "4 TB", kind = "tokens" }
-- Architecture (facts; no field chosen to move a prediction): n_heads 32, expansion_ratio 4 (FFN 4 x d_model,
-- GELU, not gated), tied embeddings: the mosaicml/mpt-7b model card's config.json (d_model 4096, n_heads 32,
-- n_layers 32, expansion_ratio 4, vocab_size 50432; https://huggingface.co/mosaicml/mpt-7b, May 2023, read
-- 2026-12-06).
local mpt7b = models.gpt { name = "mpt-7b", layers = 32, width = 4096, seq = 2048, vocab = 50432,
                           heads = 32 }

run(mosaic, function(r)
  r:provision(mosaic.accelerator)
  r:train { stack = "eager", model = mpt7b, data = mix, batch = 1760, tokens = 1e12, precision = "bf16", optimizer = "momentum",
            parallel = { zero = 3, recompute = true } }
  r:release(mosaic.accelerator)
end)

published = {
  metric = "time_s", value = 9.5 * 86400,
  source = "MosaicML, Introducing MPT-7B (blog, 2023) and the mosaicml/mpt-7b model card (440 A100-40GB, ~9.5 days)",
  stack_evidence = "mosaicml/mpt-7b model card: \"The model was trained with sharded data parallelism using FSDP\"",
  note = "'about 9.5 days' of wall time, including automatic restarts after hardware failures and evaluation, "
      .. "neither of which the scenario models (their number and length are not published).",
}
