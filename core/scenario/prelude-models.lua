-- The scenario prelude, part 3 of 4: datasets and models.  One chunk with prelude-checks.lua (its helpers are
-- in scope) and the other parts, concatenated by embed.py.
---------------------------------------------------------------------------------------------------
-- Datasets (sources: docs/model.md, "Datasets")
---------------------------------------------------------------------------------------------------
local function make_dataset(name, spec, t)
  t = t or {}
  expect_table(t, name)
  check_keys(t, {"from", "samples", "bytes", "extracted", "kind", "tokens", "name", "eval_samples"}, nil)
  if t.from ~= nil and not is(t.from, "link") then fail("from: expected internet{...}, got %s", describe(t.from)) end
  local d = {
    name = t.name or name,
    samples = t.samples and positive_int(t.samples, "samples") or spec.samples,
    bytes = opt_quantity(t.bytes, "bytes", "bytes", spec.bytes),
    extracted = opt_quantity(t.extracted, "bytes", "extracted", spec.extracted),
    kind = one_of(t.kind, {"images", "tokens"}, "kind", spec.kind or "images"),
    tokens = t.tokens or spec.tokens,
    eval_samples = t.eval_samples and positive_int(t.eval_samples, "eval_samples") or spec.eval_samples or 0,
    from = t.from,
  }
  if not d.samples then fail("samples: expected a positive integer (how many training samples)") end
  if not d.bytes then fail("bytes: expected the dataset's size, e.g. \"148 GB\"") end
  return tagged("dataset", d)
end

datasets = {
  -- ImageNet-1k (ILSVRC-2012) training set: 1,281,167 images; ILSVRC2012_img_train.tar is 147,897,477,120 bytes.
  -- The tar holds the JPEGs as they are (no compression over them), so unpacked they take as much again.
  imagenet_1k = api("imagenet_1k", function(t)
    return make_dataset("imagenet_1k", {samples = 1281167, bytes = 147897477120, extracted = 147897477120,
                                        eval_samples = 50000}, t)
  end),
  -- ImageNet-21k (fall 2011 release): 14,197,122 images, 21,841 classes; fall11_whole.tar is about 1.31 TB.
  imagenet_21k = api("imagenet_21k", function(t)
    return make_dataset("imagenet_21k", {samples = 14197122, bytes = 1.31e12, extracted = 1.31e12}, t)
  end),
}
dataset = api("dataset", function(t)
  expect_table(t, "dataset")
  return make_dataset(t.name or "dataset", {}, t)
end)

---------------------------------------------------------------------------------------------------
-- Models (sources: docs/model.md, "Models").  flops = forward FLOPs per sample (2 per multiply-add);
-- activations = bytes kept for the backward pass per sample at 16-bit precision.
---------------------------------------------------------------------------------------------------
local function make_model(spec, t)
  t = t or {}
  expect_table(t, "model")
  check_keys(t, {"name", "params", "flops", "activations", "workload", "layers", "width", "heads", "seq", "vocab",
                 "experts", "active_experts", "active_params", "expert_params", "moe_layers"}, nil) -- api() already says "model: "
  local m = {}
  for k, v in next, spec do m[k] = v end
  for k, v in next, t do m[k] = v end
  m.params = positive(m.params, "params")
  m.flops = positive(quantity(m.flops, "flop", "flops"), "flops")
  m.activations = positive(quantity(m.activations, "bytes", "activations"), "activations")
  m.workload = one_of(m.workload, {"conv", "transformer"}, "workload", "transformer")
  -- The routed experts' share, which expert parallelism shards (models.gpt counts it from the shape).
  if m.expert_params ~= nil then
    m.expert_params = positive(m.expert_params, "expert_params")
    if m.expert_params > m.params then fail("expert_params (%.4g) exceeds params (%.4g)", m.expert_params, m.params) end
  end
  if m.moe_layers ~= nil then
    m.moe_layers = count(m.moe_layers, "moe_layers")
    if m.layers ~= nil and m.moe_layers > m.layers then
      fail("moe_layers (%d) exceeds layers (%s)", m.moe_layers, describe(m.layers))
    end
  end
  return tagged("model", m)
end

models = setmetatable({}, {__index = function(_, k) error("models." .. tostring(k) .. " is not in the model catalog; " ..
  "known: resnet50, vit_b16, bert_large, bert, gpt; or model{params=, flops=, activations=}", 2) end})
-- ResNet-50 v1.5: 25,557,032 parameters (torchvision); 4.1 G multiply-adds forward at 224x224.  Activations:
-- 44.6 MB per image in bf16 (86.6 MB in fp32), the slope of peak memory against batch measured on an H200
-- with PyTorch 2.11 (docs/calibration-gpu.md; bench/gpu/measure.py).
-- Its layer table (core/model/resnet.c) adds up to the same parameters and 4.09 G multiply-adds.
rawset(models, "resnet50", make_model({name = "resnet50", params = 25557032, flops = 8.2e9,
  activations = 44.6e6, workload = "conv", layers = 50, architecture = "resnet50", image = 224, classes = 1000}))
-- ViT-B/16 at 224x224: 86.6 M parameters, 17.6 G multiply-adds forward (Dosovitskiy et al. 2021, Table 6).
-- Shape (Table 1): 12 layers, width 768, 12 heads, MLP 3072, patch 16; 1000 classes (core/model/encoder.c).
rawset(models, "vit_b16", make_model({name = "vit_b16", params = 86.6e6, flops = 35.2e9, activations = 1.5e8 / 2,
  workload = "transformer", layers = 12, width = 768, seq = 197, architecture = "vit", heads = 12, kv_heads = 12,
  ffn = 3072, image = 224, patch = 16, classes = 1000}))
-- BERT-large: 340 M parameters (Devlin et al. 2019); seq 512: 6 x 340 M x 512 / 3 forward FLOPs per sequence.
-- Shape: 24 layers, width 1024, 16 heads, FFN 4096, WordPiece vocabulary 30,522 (core/model/encoder.c).
rawset(models, "bert_large", make_model({name = "bert_large", params = 340e6, flops = 2 * 340e6 * 512,
  activations = 512 * 1024 * 24 * 34, workload = "transformer", layers = 24, width = 1024, seq = 512,
  architecture = "encoder", heads = 16, kv_heads = 16, ffn = 4096, vocab = 30522}))

-- A BERT encoder given by its shape (default BERT-large's, Devlin et al. 2019: 24 layers, width 1024, 16 heads,
-- FFN 4096, WordPiece vocabulary 30,522) at a sequence length of its own (pre-training runs phase 1 at 128).
-- Parameters as BertForPreTraining holds them, with a position table of seq rows (core/model/encoder.c; BERT's
-- own table has 512, which a shorter phase does not read): embeddings (V + seq + 2)·d + 2d, per layer
-- 4(d² + d) + 2·d·ffn + ffn + d + 4d, pooler d² + d, MLM transform d² + d + 2d, output bias V, NSP 2d + 2.
-- Forward FLOPs per token 2·N + 2·L·seq·d (Kaplan et al. 2020 eq. 2.1, as for models.gpt).
models.bert = api("models.bert", function(t)
  expect_table(t, "models.bert")
  check_keys(t, {"name", "layers", "width", "heads", "ffn", "seq", "vocab"}, nil)
  local L = count(t.layers or 24, "layers")
  local d = count(t.width or 1024, "width")
  local heads = count(t.heads or 16, "heads")
  local ffn = count(t.ffn or 4 * d, "ffn")
  local seq = count(t.seq or 512, "seq")
  local vocab = count(t.vocab or 30522, "vocab")
  if d % heads ~= 0 then fail("width (%d) is not a multiple of heads (%d)", d, heads) end
  local Lf, df, ff, V = L + 0.0, d + 0.0, ffn + 0.0, vocab + 0.0
  local layer = 4 * (df * df + df) + 2 * df * ff + ff + df + 4 * df
  local params = (V + seq + 2) * df + 2 * df + Lf * layer + (df * df + df) + (df * df + df + 2 * df) + V + (2 * df + 2)
  return make_model({name = t.name or "bert", params = params, flops = (2 * params + 2 * Lf * seq * df) * seq,
    activations = 34.0 * seq * d * L, workload = "transformer", layers = L, width = d, seq = seq,
    architecture = "encoder", heads = heads, kv_heads = heads, ffn = ffn, vocab = vocab}, {})
end)

-- A GPT/Llama-style decoder given by its shape (docs/model.md, "Models").  Per layer: attention d·d (queries) +
-- 2·d·(kv_heads·d/heads) (keys and values: grouped- or multi-query attention when kv_heads < heads) + d·d
-- (output); feed-forward 2·d·ffn, or 3·d·ffn gated (SwiGLU: gate, up, down), per expert, plus a d·experts
-- router for mixture-of-experts; two norm weight vectors of d.  Plus the embedding V·d (twice when the output
-- head is not tied to it) and a final norm of d.  The defaults (kv_heads = heads, ffn = 4·d, not gated, tied)
-- are GPT's 12·L·d² + V·d (Kaplan et al. 2020, table 1) plus the norms.  Mistral 7B (32 layers, width 4096, 32
-- heads, 8 kv_heads, ffn 14336, gated, vocab 32000, untied) comes to its model card's 7,241,732,096.
-- head_dim (default width / heads) is one head's width where heads x head_dim is not the width (PaLM: 48 heads of
-- 256 at width 18432; MaxText's scaled models): queries and the output are then d·heads·head_dim each, keys and
-- values d·kv_heads·head_dim each.
-- Forward FLOPs per token 2·N_active + 2·L·seq·a (attention scores at a = heads·head_dim, the width unless
-- head_dim is given), Kaplan et al. 2020 eq. 2.1; activations per
-- token per layer seq·d·34 bytes at 16-bit without recomputation (Korthikanti et al. 2022, eq. 1, without the
-- a·s/h term: a materialised attention core's scores, which the memory model adds from r:train's `attention`,
-- core/run/train-memory.c).
-- Mixture of experts as Megatron-Core describes it (megatron/core/transformer/moe/README.md): experts of width
-- expert_ffn (--moe-ffn-hidden-size; default ffn), shared_experts always-active ones of the same width that are
-- replicated like the dense part, and the first dense_layers layers with a dense FFN of width ffn (DeepSeek-V3's
-- first_k_dense_replace).  expert_params counts the routed experts only: they are what expert parallelism shards.
-- Multi-head latent attention (DeepSeek-V2, arXiv 2405.04434, sec. 2.1): kv_lora_rank (the key/value latent),
-- q_lora_rank (the query latent; 0: queries straight from the width), rope_head_dim (the rotary part of each
-- query and of the one shared rotary key), head_dim (each head's key and value width without it): per layer
-- d·q_rank + q_rank + q_rank·heads·(head_dim + rope) + d·(kv_rank + rope) + kv_rank + kv_rank·heads·2·head_dim +
-- heads·head_dim·d; its attention scores run at heads·(head_dim + rope / 2) (Q.K^T at head_dim + rope, P.V at
-- head_dim).
models.gpt = api("models.gpt", function(t)
  expect_table(t, "models.gpt")
  check_keys(t, {"name", "layers", "width", "seq", "vocab", "heads", "kv_heads", "head_dim", "ffn", "gated",
                 "tied_embeddings",
                 "experts", "active_experts", "expert_ffn", "shared_experts", "dense_layers", "params",
                 "active_params", "q_lora_rank", "kv_lora_rank", "rope_head_dim"}, nil)
  local L = count(t.layers, "layers")
  local d = count(t.width, "width")
  local seq = count(t.seq or 2048, "seq")
  local vocab = count(t.vocab or 50257, "vocab")
  local experts = t.experts and count(t.experts, "experts") or 1
  local active_experts = t.active_experts and count(t.active_experts, "active_experts") or 1
  if active_experts > experts then fail("active_experts (%d) exceeds experts (%d)", active_experts, experts) end
  local heads = t.heads and count(t.heads, "heads") or nil
  local kv_heads = t.kv_heads and count(t.kv_heads, "kv_heads") or heads
  if t.kv_heads ~= nil and heads == nil then fail("kv_heads needs heads (the number of query heads)") end
  local head_dim = t.head_dim and count(t.head_dim, "head_dim") or nil
  if head_dim ~= nil and heads == nil then fail("head_dim needs heads (the number of query heads)") end
  if heads ~= nil and head_dim == nil and d % heads ~= 0 then
    fail("width (%d) is not a multiple of heads (%d): give head_dim if the heads are not width / heads wide", d, heads)
  end
  if kv_heads ~= nil and (kv_heads > heads or heads % kv_heads ~= 0) then
    fail("heads (%d) must be a multiple of kv_heads (%d)", heads, kv_heads)
  end
  local ffn = t.ffn and count(t.ffn, "ffn") or 4 * d
  local function count0(v, what) if v == nil or v == 0 then return 0 end return count(v, what) end
  -- Multi-head latent attention (DeepSeek-V2/V3): kv_lora_rank names it.
  local q_rank, kv_rank = count0(t.q_lora_rank, "q_lora_rank"), count0(t.kv_lora_rank, "kv_lora_rank")
  local rope = count0(t.rope_head_dim, "rope_head_dim")
  if (q_rank > 0 or rope > 0) and kv_rank == 0 then
    fail("q_lora_rank and rope_head_dim describe multi-head latent attention: give kv_lora_rank with them")
  end
  if kv_rank > 0 and (head_dim == nil or t.kv_heads ~= nil) then
    fail("multi-head latent attention (kv_lora_rank) needs heads and head_dim (each head's key and value width " ..
         "without the rotary part) and no kv_heads (every head has its own key and value)")
  end
  local shared, dense_layers = count0(t.shared_experts, "shared_experts"), count0(t.dense_layers, "dense_layers")
  if experts == 1 and (t.expert_ffn ~= nil or shared > 0 or dense_layers > 0) then
    fail("expert_ffn, shared_experts and dense_layers describe a mixture of experts: give experts (> 1) with them")
  end
  if dense_layers >= L and experts > 1 then
    fail("dense_layers (%d) leaves none of the %d layers with experts", dense_layers, L)
  end
  local expert_ffn = t.expert_ffn and count(t.expert_ffn, "expert_ffn") or ffn
  if t.gated ~= nil and type(t.gated) ~= "boolean" then fail("gated: expected true or false, got %s", describe(t.gated)) end
  if t.tied_embeddings ~= nil and type(t.tied_embeddings) ~= "boolean" then
    fail("tied_embeddings: expected true or false, got %s", describe(t.tied_embeddings))
  end
  -- In floating point: with integers, large shapes would wrap around (to 0 or a negative count).
  local Lf, df, ff = L + 0.0, d + 0.0, ffn + 0.0
  local hd = heads and (head_dim and head_dim + 0.0 or df / heads) -- one head's width
  local q_width = heads and heads * hd or df                         -- queries, and the output's input
  local kv_width = heads and kv_heads * hd or df
  local attention = 2 * df * q_width + 2 * df * kv_width
  local score_width = q_width -- attention scores per token: Q.K^T and P.V over this width, on average
  if kv_rank > 0 then
    -- Queries (through their latent, normed, when q_lora_rank > 0) of head_dim + rope per head; the key/value
    -- latent plus one shared rotary key, normed, up to keys and values of head_dim per head; the output.
    local qk = hd + rope
    local q = q_rank > 0 and (df * q_rank + q_rank + q_rank * heads * qk) or df * heads * qk
    attention = q + df * (kv_rank + rope) + kv_rank + kv_rank * heads * 2 * hd + heads * hd * df
    score_width = heads * (hd + rope / 2)
  end
  local mlp = (t.gated and 3 or 2) * df * ff
  local expert_mlp = (t.gated and 3 or 2) * df * expert_ffn
  local router = experts > 1 and df * experts or 0
  local embeddings = vocab * df * (t.tied_embeddings == false and 2 or 1) + df
  local Mf, Df = (L - dense_layers) + 0.0, dense_layers + 0.0 -- MoE layers, dense layers
  local dense_part = Df * (attention + mlp + 2 * df) + embeddings
  local params, active, expert_params
  if experts > 1 then
    expert_params = Mf * experts * expert_mlp
    params = Mf * (attention + (experts + shared) * expert_mlp + router + 2 * df) + dense_part
    active = Mf * (attention + (active_experts + shared) * expert_mlp + router + 2 * df) + dense_part
  else
    params = Lf * (attention + mlp + 2 * df) + embeddings
    active = params
  end
  if t.params ~= nil then
    params = positive(t.params, "params")
    if expert_params ~= nil and expert_params > params then
      fail("params (%.4g) is less than the %.4g parameters of the experts by the shape", params, expert_params)
    end
  end
  active = t.active_params or (t.params ~= nil and experts == 1 and params) or active
  local per_token = 2 * active + 2 * Lf * seq * score_width
  -- The shape goes along for the operator-level model (core/model/decoder.c), which needs the heads.
  return make_model({name = t.name or "gpt", params = params, active_params = active, flops = per_token * seq,
    activations = 34.0 * seq * d * L, workload = "transformer", layers = L, width = d, heads = heads, seq = seq,
    vocab = vocab, experts = experts > 1 and experts or nil, active_experts = active_experts,
    architecture = heads and "decoder" or nil, kv_heads = kv_heads, head_dim = head_dim, ffn = ffn,
    gated = t.gated == true, tied = t.tied_embeddings ~= false,
    expert_ffn = experts > 1 and expert_ffn or nil, shared_experts = shared > 0 and shared or nil,
    q_lora_rank = q_rank > 0 and q_rank or nil, kv_lora_rank = kv_rank > 0 and kv_rank or nil,
    rope_head_dim = rope > 0 and rope or nil,
    expert_params = expert_params, moe_layers = experts > 1 and (L - dense_layers) or nil}, {})
end)

model = api("model", function(t) return make_model({}, t) end)

