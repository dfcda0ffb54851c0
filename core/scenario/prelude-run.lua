-- The scenario prelude, part 4 of 4: run() and its actions, the software stack, several jobs on one cluster.
-- One chunk with the other prelude-*.lua files, concatenated by embed.py.
---------------------------------------------------------------------------------------------------
-- The run: a function executed as a simulation process.  Each r:... call waits in simulated time.
---------------------------------------------------------------------------------------------------
local the_run = nil
-- Every action is yielded behind this token, which only the prelude holds: the host ignores a table that
-- the script yields itself (coroutine.yield{op = "train", batch = 0}), since that skipped validation.
local ACTION = {}
local runner = {}
runner.__index = runner

local jobs = {}      -- job coroutine -> true: each job{}'s run function is a simulation process of its own
local job_names = {}
local function action(op, t, where)
  local co, main = running()
  if main or (co ~= the_run and not jobs[co]) then
    error("r:" .. op .. " must be called from the run function itself, not from a nested coroutine", 3)
  end
  t.op = op
  t.where = where
  return yield(ACTION, t)
end

local function validated(op, fn)
  return function(self, ...)
    if getmetatable(self) ~= runner then error("r:" .. op .. ": call it as r:" .. op .. "(...)", 2) end
    local where = ts.where(2) -- level 1 is this wrapper, level 2 the scenario line calling r:op
    local ok, t = pcall(fn, ...)
    if not ok then error("r:" .. op .. ": " .. tostring(t), 2) end
    local result = action(op, t, where)
    return result
  end
end

runner.download = validated("download", function(ds, opts)
  if not is(ds, "dataset") then fail("expected a dataset, got %s", describe(ds)) end
  opts = opts or {}
  expect_table(opts, "options")
  check_keys(opts, {"to", "extract", "background", "resumable"}, "options")
  if opts.to ~= nil and not is(opts.to, "storage") and opts.to ~= "disk" then
    fail("to: expected a bucket{...} or \"disk\", got %s", describe(opts.to))
  end
  return {dataset = ds, to = opts.to or "disk", extract = opts.extract ~= false, background = opts.background == true,
          resumable = opts.resumable ~= false}
end)

-- The cheap actions, which a script may take millions of times, name op and where (set by action()) in their
-- constructors: the table is made at its final size once instead of growing twice.
runner.join = validated("join", function() return {op = false, where = false} end)

runner.provision = validated("provision", function(x, opts)
  if not is(x, "accelerator") then fail("expected an accelerator (pod.accelerator, or a device/gpu/tpu/cpu{...}), got %s", describe(x)) end
  opts = expect_table(opts or {}, "options")
  check_keys(opts, {"startup"}, "options")
  return {target = x, startup = duration(opts.startup, "startup", 0), op = false, where = false}
end)

runner.release = validated("release", function(x)
  if not is(x, "accelerator") then fail("expected the accelerator of a cluster, got %s", describe(x)) end
  return {target = x, op = false, where = false}
end)

runner.wait = validated("wait", function(d)
  return {duration = duration(d, "duration"), op = false, where = false}
end)

local OPTIMIZERS = {"sgd", "momentum", "adam", "adamw", "lars", "lamb"}
-- How the optimizer update runs (docs/model.md, "Optimizer update"): "fused" (one pass over the state, the
-- default), "foreach" (PyTorch's torch.optim default on CUDA: one multi-tensor kernel per elementary operation) or
-- "for-loop" (one kernel per operation and tensor); the two unfused ones are modelled for these optimizers.
local OPTIMIZER_IMPLS = {"fused", "foreach", "for-loop"}
local UNFUSED_OPTIMIZERS = {sgd = true, momentum = true, adam = true, adamw = true}
local PRECISIONS = {"fp32", "tf32", "fp16", "bf16", "fp8", "int8"}
-- The software stack (docs/model.md, "The software stack"); without one, a run is "eager" (core/run/stack.h).
local STACKS = {"eager", "compiled", "tuned"}
local function stack_of(v)
  if v == nil then return nil end
  return one_of(v, STACKS, "stack", "eager")
end

-- The attention core's implementation (docs/model.md): "fused" (FlashAttention-style, the default),
-- "fused_softmax" (scores in memory, Megatron's fused scale+mask+softmax), "unfused" (each op a kernel),
-- "flash2" (FlashAttention-2's own kernels) or "fused_fp8" (Transformer Engine's FP8 fused attention).
local ATTENTIONS = {"fused", "fused_softmax", "unfused", "flash2", "fused_fp8"}
-- How a convolutional net's batch norms run (docs/model.md, "Operator-level model: the layers"): "separate"
-- kernels (the default), statistics summed by the convolution that writes their input ("conv_stats"), or also
-- scale, shift and ReLU applied by the convolution that reads their output ("conv_fused").
local BATCH_NORMS = {"separate", "conv_stats", "conv_fused"}

local function every(v, what)
  if type(v) ~= "string" then fail("%s: expected \"N epochs\", \"N steps\" or a duration, got %s", what, describe(v)) end
  local n, unit = match(v, "^%s*([%d%.eE+]+)%s*(%a+)%s*$")
  n = tonumber(n)
  if n and (unit == "epoch" or unit == "epochs") then return {epochs = positive(n, what)} end
  if n and (unit == "step" or unit == "steps") then return {steps = positive_int(n, what)} end
  return {seconds = positive_duration(v, what)}
end

runner.train = validated("train", function(t)
  expect_table(t, "train")
  check_keys(t, {"model", "data", "batch", "micro_batch", "epochs", "steps", "tokens", "precision", "optimizer",
                 "views", "input_cores", "load", "parallel", "checkpoint", "failures", "eval", "stack", "packing",
                 "padding", "stragglers", "mixed", "attention", "dropout", "optimizer_impl", "batch_norm"}, nil)
  if not is(t.model, "model") then fail("model: expected models.<name> or model{...}, got %s", describe(t.model)) end
  if not is(t.data, "dataset") then fail("data: expected a dataset, got %s", describe(t.data)) end
  -- A batch ramp: batch = { {upto = "N tokens" | "N samples", size = B}, ..., {size = B_final} } (`until` is a
  -- Lua keyword, so the end is `upto`, or ["until"]).  Each
  -- segment's size holds until that many useful samples (or tokens) have been trained in all; the last to the
  -- end.  Passed on as ramp = { {size, until_samples}, ... }, with batch = the largest size (memory).
  local ramp, batch = nil, nil
  if type(t.batch) == "table" then
    local n = #t.batch
    if n < 2 or n > 16 then fail("batch: a ramp is a list of 2 to 16 segments {upto = ..., size = B}, got %d", n) end
    check_keys(t.batch, (function() local k = {} for i = 1, n do k[i] = i end return k end)(), "batch")
    ramp, batch = {}, 0
    local seq = rawget(t.model, "seq")
    local last_until = 0
    for i = 1, n do
      local seg = expect_table(t.batch[i], format("batch[%d]", i))
      check_keys(seg, {"upto", "until", "size"}, format("batch[%d]", i))
      if seg.upto ~= nil and seg["until"] ~= nil then fail("batch[%d]: give upto or [\"until\"], not both", i) end
      local upto = seg.upto ~= nil and seg.upto or seg["until"]
      local size = positive_int(seg.size, format("batch[%d].size", i))
      if size > batch then batch = size end
      local u = nil
      if i < n then
        local what = format("batch[%d].upto", i)
        if type(upto) ~= "string" then fail("%s: expected \"N tokens\" or \"N samples\", got %s", what, describe(upto)) end
        local v, unit = match(upto, "^%s*([%d%.eE+]+)%s*(%a+)%s*$")
        v = tonumber(v)
        if not v or not (v > 0) or v == huge then fail("%s: expected \"N tokens\" or \"N samples\", got %s", what, describe(upto)) end
        if unit == "tokens" or unit == "token" then
          if not (type(seq) == "number" and seq > 0) then fail("%s: tokens need a model with a sequence length (seq)", what) end
          u = v / seq
        elseif unit == "samples" or unit == "sample" or unit == "sequences" then
          u = v + 0.0
        else
          fail("%s: expected \"N tokens\" or \"N samples\", got %s", what, describe(upto))
        end
        if not (u > last_until) then fail("%s: each segment must end after the one before it", what) end
        last_until = u
      elseif upto ~= nil then
        fail("batch[%d].upto: the last segment runs to the end of the training; leave upto out", i)
      end
      ramp[i] = {size = size, until_samples = u}
    end
    if t.steps ~= nil then fail("batch: a ramp needs the run's length in tokens or epochs, not steps") end
  else
    batch = positive_int(t.batch, "batch")
  end
  local r = {
    model = t.model, data = t.data, ramp = ramp,
    batch = batch,
    micro_batch = t.micro_batch and positive_int(t.micro_batch, "micro_batch") or nil,
    precision = one_of(t.precision, PRECISIONS, "precision", "fp32"),
    optimizer = one_of(t.optimizer, OPTIMIZERS, "optimizer", "sgd"),
    optimizer_impl = one_of(t.optimizer_impl, OPTIMIZER_IMPLS, "optimizer_impl", nil),
    stack = stack_of(t.stack), attention = one_of(t.attention, ATTENTIONS, "attention", nil),
    batch_norm = one_of(t.batch_norm, BATCH_NORMS, "batch_norm", nil),
    views = t.views and count(t.views, "views") or 1,
    input_cores = t.input_cores and positive(t.input_cores, "input_cores") or nil,
    load_all = one_of(t.load, {"stream", "all"}, "load", "stream") == "all",
  }
  if r.batch_norm ~= nil and r.batch_norm ~= "separate" and rawget(t.model, "architecture") ~= "resnet50" then
    fail("batch_norm: \"%s\" is modelled for models.resnet50, whose op list has batch norms; this model has none",
         r.batch_norm)
  end
  if r.optimizer_impl ~= nil and r.optimizer_impl ~= "fused" and not UNFUSED_OPTIMIZERS[r.optimizer] then
    fail("optimizer_impl: the %s update is modelled for sgd, momentum, adam and adamw, not %s", r.optimizer_impl,
         r.optimizer)
  end
  local n = (t.epochs ~= nil and 1 or 0) + (t.steps ~= nil and 1 or 0) + (t.tokens ~= nil and 1 or 0)
  if n > 1 then fail("give epochs or steps or tokens, not more than one") end
  if t.epochs ~= nil then r.epochs = positive(t.epochs, "epochs")
  elseif t.steps ~= nil then r.steps = positive_int(t.steps, "steps")
  elseif t.tokens ~= nil then r.tokens = positive(t.tokens, "tokens")
  else fail("expected epochs, steps or tokens") end
  -- Sequences packed without padding (the default), or a stated fraction of each sequence that is padding:
  -- the devices process the padded tokens too, so the same useful data takes 1/(1-p) as many steps.
  if t.packing ~= nil and type(t.packing) ~= "boolean" then
    fail("packing: expected true or false, got %s", describe(t.packing))
  end
  if t.packing ~= nil and t.padding ~= nil then fail("give packing = true or padding = p, not both") end
  if t.packing == false then
    fail("packing = false: say how much of each sequence is padding, padding = 0.2 (a fraction from 0 to below 1)")
  end
  if t.padding ~= nil then
    local p = t.padding
    if type(p) ~= "number" or p ~= p or p < 0 or p >= 1 then
      fail("padding: expected the fraction of each sequence that is padding, from 0 to below 1, got %s", describe(p))
    end
    if rawget(t.data, "kind") ~= "tokens" then
      fail("padding: only for a dataset of token sequences (kind = \"tokens\"), not %s", describe(rawget(t.data, "name")))
    end
    r.padding = p + 0.0
  end
  -- The run's dropout probability (hidden and attention, as Megatron-LM's --hidden-dropout/--attention-dropout):
  -- above 0 the layers drop out (memory-bound passes, docs/model.md); absent, the architecture's rule.
  if t.dropout ~= nil then
    local p = t.dropout
    if type(p) ~= "number" or p ~= p or p < 0 or p >= 1 then
      fail("dropout: expected a probability from 0 to below 1, got %s", describe(p))
    end
    r.dropout = p + 0.0
  end
  if t.parallel ~= nil then
    local p = expect_table(t.parallel, "parallel")
    check_keys(p, {"tensor", "pipeline", "virtual", "context", "expert", "zero", "shard_group", "recompute",
                   "offload", "grad_precision", "grad_reduce", "dp_overlap", "sequence_parallel", "tp_overlap",
                   "schedule", "partition"}, "parallel")
    r.tp = p.tensor and count(p.tensor, "parallel.tensor") or 1
    -- Expert parallelism: each of `expert` ranks holds experts/expert of every MoE layer (1: all of them).
    r.ep = p.expert and count(p.expert, "parallel.expert") or 1
    r.pp = p.pipeline and count(p.pipeline, "parallel.pipeline") or 1
    r.vp = p.virtual and count(p.virtual, "parallel.virtual") or 1 -- interleaved stages per device
    r.cp = p.context and count(p.context, "parallel.context") or 1
    -- The pipeline schedule: "1f1b" (interleaved when virtual > 1), or "dualpipe" (DeepSeek-V3's bidirectional
    -- schedule: two chunks' computation and communication overlapped; an even number of stages, no virtual ones).
    local schedule = one_of(p.schedule, {"1f1b", "dualpipe"}, "parallel.schedule", "1f1b")
    if schedule == "dualpipe" then
      if r.pp < 2 or r.pp % 2 ~= 0 then
        fail("parallel.schedule: \"dualpipe\" runs the pipeline from both ends: it needs an even number of "
             .. "pipeline stages (parallel.pipeline), got %d", r.pp)
      end
      if r.vp > 1 then fail("parallel.schedule: \"dualpipe\" has no virtual stages (parallel.virtual = %d)", r.vp) end
      r.dualpipe = true
    end
    -- How the layers are split into stages: "layers" (ceil(layers / pipeline) a stage, the output head on the
    -- last; Megatron-LM's and DeepSpeed's 'type:transformer'), or "layers+embeddings" (the embedding and the
    -- output head each count as one layer in the balance, DeepSpeed's --pp-partition-method
    -- 'type:transformer|embedding').
    if one_of(p.partition, {"layers", "layers+embeddings"}, "parallel.partition", "layers") == "layers+embeddings" then
      r.partition_embeddings = true
    end
    r.zero = p.zero or 0
    if r.zero ~= 0 and r.zero ~= 1 and r.zero ~= 2 and r.zero ~= 3 then fail("parallel.zero: expected 0, 1, 2 or 3, got %s", describe(p.zero)) end
    -- Hybrid sharding (HSDP, MiCS; MaxText's ici_fsdp x dcn_data): ZeRO shards within groups of
    -- shard_group data-parallel ranks and replicates across the groups.
    if p.shard_group ~= nil then
      r.shard_group = count(p.shard_group, "parallel.shard_group")
      if r.zero == 0 then fail("parallel.shard_group: shards ZeRO state; give zero = 1, 2 or 3 with it") end
    end
    -- How ZeRO-1 reduces the gradients: "reduce-scatter" (each rank receives the sum of its share; hybrid, the
    -- share then all-reduced across the groups) or "all-reduce" (every rank receives the whole sum and updates its
    -- share: apex's DistributedFusedLAMB across nodes, full_ar).
    if p.grad_reduce ~= nil then
      r.grad_reduce = one_of(p.grad_reduce, {"reduce-scatter", "all-reduce"}, "parallel.grad_reduce", nil)
      if r.zero ~= 1 then
        fail("parallel.grad_reduce: says how ZeRO-1 reduces the gradients; give zero = 1 with it, got zero = %d", r.zero)
      end
    end
    -- Which data-parallel collectives the stack overlaps with compute: true (the default: the gradient reductions
    -- under the backward pass, the weight gathers under the forward pass), "reduce" (the reductions only: the
    -- gathers wait), false (none: the reductions start after the backward pass).
    if p.dp_overlap ~= nil and p.dp_overlap ~= true and p.dp_overlap ~= false and p.dp_overlap ~= "reduce" then
      fail("parallel.dp_overlap: expected true, false or \"reduce\", got %s", describe(p.dp_overlap))
    end
    if p.dp_overlap == false then r.dp_overlap = "none" elseif p.dp_overlap == "reduce" then r.dp_overlap = "reduce" end
    -- The precision gradients are reduced (and kept) in: "bf16" halves an fp32 run's gradient traffic.
    r.grad_precision = one_of(p.grad_precision, {"fp32", "bf16", "fp16", "fp8"}, "parallel.grad_precision", nil)
    -- recompute: true (every layer's whole forward again, as PyTorch's checkpoint), false, "auto" (the least
    -- fraction of the layers that fits), or a named policy (XLA/MaxText remat_policy names: what the layer keeps,
    -- the rest recomputed; docs/model.md, "Recomputation policies"); offload: a policy's kept tensors to host memory.
    local policies = {"minimal", "save_dot_with_context_except_mlp", "save_dot_except_mlpwi", "save_dot_except_mlp",
                      "save_dot_except_logits_ffn1", "save_dot_except_logits", "save_qkv_proj", "full"}
    local named = false
    for _, name in ipairs(policies) do named = named or p.recompute == name end
    if p.recompute ~= nil and p.recompute ~= true and p.recompute ~= false and p.recompute ~= "auto" and not named then
      fail("parallel.recompute: expected true, false, \"auto\" or a remat policy (%s), got %s",
           table.concat(policies, ", "), describe(p.recompute))
    end
    r.recompute = p.recompute == true
    if named then r.remat_policy = p.recompute end
    if p.offload ~= nil then
      r.offload = one_of(p.offload, {"products", "saved"}, "parallel.offload", nil)
      if not named then
        fail("parallel.offload: moves what a remat policy keeps to host memory; give parallel.recompute a policy "
             .. "(%s), got %s", table.concat(policies, ", "), describe(p.recompute))
      end
    end
    -- Sequence parallelism (Korthikanti et al. 2022): the norms' and dropouts' activations split over the tensor
    -- ranks too; tp_overlap: true when the stack pipelines the tensor-parallel traffic with the products (it
    -- then hides the stack's fitted fraction of it), or the fraction hidden, a number from 0 to 1.
    if p.sequence_parallel ~= nil and type(p.sequence_parallel) ~= "boolean" then
      fail("parallel.sequence_parallel: expected true or false, got %s", describe(p.sequence_parallel))
    end
    r.sequence_parallel = p.sequence_parallel == true
    if p.tp_overlap == true then
      r.tp_comm_overlap = true
    elseif p.tp_overlap ~= nil and p.tp_overlap ~= false then
      local f = p.tp_overlap
      if type(f) ~= "number" or f ~= f or f < 0 or f > 1 then
        fail("parallel.tp_overlap: expected the fraction of tensor-parallel communication hidden under compute, "
             .. "a number from 0 to 1, or true (the stack pipelines it with the products), got %s", describe(f))
      end
      r.tp_overlap = f + 0.0
    end
    r.recompute_auto = p.recompute == "auto"
  end
  if t.checkpoint ~= nil then
    local c = expect_table(t.checkpoint, "checkpoint")
    check_keys(c, {"every", "keep", "keep_every", "async", "final"}, "checkpoint")
    local e = every(c.every, "checkpoint.every")
    r.checkpoint = true
    r.ckpt_every_epochs, r.ckpt_every_steps, r.ckpt_every_s = e.epochs, e.steps, e.seconds
    r.keep_last = c.keep and count(c.keep, "checkpoint.keep") or 0
    r.keep_every = c.keep_every and count(c.keep_every, "checkpoint.keep_every") or 0
    r.ckpt_async = c.async == true
    r.ckpt_final = c.final ~= false
  end
  if t.failures ~= nil then
    local f = expect_table(t.failures, "failures")
    check_keys(f, {"mtbf", "preemption", "restart", "spares", "repair"}, "failures")
    r.device_mtbf = f.mtbf ~= nil and positive_duration(f.mtbf, "failures.mtbf") or nil
    r.preempt_mtbf = f.preemption ~= nil and positive_duration(f.preemption, "failures.preemption") or nil
    r.restart = duration(f.restart, "failures.restart", 0)
    -- A failed device takes its node out for `repair`; the job restarts on a spare node when one of `spares` is
    -- free, else waits for a repaired one (docs/model.md, "Spares and repair").
    if f.spares ~= nil or f.repair ~= nil then
      if f.mtbf == nil then fail("failures.repair: spares and repair are for node failures: give mtbf too") end
      if f.repair == nil then fail("failures.spares: give repair too, how long a failed node is out (e.g. \"48 h\")") end
      r.repair = positive_duration(f.repair, "failures.repair")
      if f.spares ~= nil then
        if type(f.spares) ~= "number" or f.spares ~= floor(f.spares) or f.spares < 0 or f.spares > MAX_COUNT then
          fail("failures.spares: expected the spare nodes the cluster keeps, a whole number from 0, got %s",
               describe(f.spares))
        end
        r.spares = floor(f.spares)
      else
        r.spares = 0
      end
    end
  end
  if t.eval ~= nil then
    local e = expect_table(t.eval, "eval")
    check_keys(e, {"every", "samples"}, "eval")
    local ev = every(e.every, "eval.every")
    r.eval_every_epochs, r.eval_every_steps, r.eval_every_s = ev.epochs, ev.steps, ev.seconds
    -- samples evaluated per pass (forward only); without it, the dataset's eval_samples
    r.eval_samples = e.samples ~= nil and positive_int(e.samples, "eval.samples") or nil
  end
  if t.stragglers ~= nil then
    -- The synchronous step waits for the slowest node (docs/model.md, "Stragglers"): slow_nodes of the nodes (or
    -- slow_fraction of them) do their device work slowdown times as slowly; jitter is the log-sd of a lognormal
    -- factor (mean 1) every node draws each step.
    local g = expect_table(t.stragglers, "stragglers")
    check_keys(g, {"slow_nodes", "slow_fraction", "slowdown", "jitter", "mode"}, "stragglers")
    if g.slow_nodes ~= nil and g.slow_fraction ~= nil then fail("stragglers: give slow_nodes or slow_fraction, not both") end
    if g.slow_nodes ~= nil then
      if mtype(g.slow_nodes) ~= "integer" and not (type(g.slow_nodes) == "number" and g.slow_nodes == floor(g.slow_nodes)) then
        fail("stragglers.slow_nodes: expected a whole number of nodes, got %s", describe(g.slow_nodes))
      end
      if g.slow_nodes < 1 or g.slow_nodes > MAX_COUNT then
        fail("stragglers.slow_nodes: expected a positive number of nodes, got %s", describe(g.slow_nodes))
      end
      r.slow_nodes = floor(g.slow_nodes)
    end
    if g.slow_fraction ~= nil then
      local f = g.slow_fraction
      if type(f) ~= "number" or f ~= f or f <= 0 or f > 1 then
        fail("stragglers.slow_fraction: expected the fraction of the nodes that are slow, above 0 and at most 1, got %s",
             describe(f))
      end
      r.slow_fraction = f + 0.0
    end
    local slow = g.slow_nodes ~= nil or g.slow_fraction ~= nil
    if slow and g.slowdown == nil then
      fail("stragglers.slowdown: expected how many times as long the slow nodes take, e.g. 1.3")
    end
    if g.slowdown ~= nil then
      if not slow then fail("stragglers.slowdown: give slow_nodes or slow_fraction, the nodes it slows") end
      local s = g.slowdown
      if type(s) ~= "number" or s ~= s or s < 1 or s > 100 then
        fail("stragglers.slowdown: expected a factor from 1 to 100 (1.3: 30 %% slower), got %s", describe(s))
      end
      r.slowdown = s + 0.0
    end
    if g.jitter ~= nil then
      local j = g.jitter
      if type(j) ~= "number" or j ~= j or j < 0 or j > 2 then
        fail("stragglers.jitter: expected the standard deviation of the log of a node's step factor, from 0 to 2 "
             .. "(0.05: about 5 %%), got %s", describe(j))
      end
      r.jitter = j + 0.0
    end
    if not slow and g.jitter == nil then fail("stragglers: expected slow_nodes (or slow_fraction) with slowdown, or jitter") end
    -- mode: the expected step for every step (the default), or each step's nodes drawn from the run's seed
    if g.mode ~= nil then
      if g.mode ~= "expected" and g.mode ~= "sampled" then
        fail("stragglers.mode: expected \"expected\" (every step the expected slowest) or \"sampled\" (each step's "
             .. "nodes drawn from the seed, step by step), got %s", describe(g.mode))
      end
      r.straggler_mode = g.mode
    end
  end
  if t.mixed ~= nil then
    -- Mixed device generations in one data-parallel job (docs/model.md, "Mixed generations"): `nodes` of the
    -- cluster's nodes hold `sku` devices instead, as many a node; the step waits for the slower generation
    -- (balance = "wait"), or each generation gets a share of the batch in proportion to its speed ("speed").
    local g = expect_table(t.mixed, "mixed")
    check_keys(g, {"sku", "nodes", "balance"}, "mixed")
    if type(g.sku) ~= "string" or #g.sku == 0 or #g.sku > 95 then
      fail("mixed.sku: expected the other generation's device SKU, e.g. \"V100-SXM2-32GB\", got %s", describe(g.sku))
    end
    if type(g.nodes) ~= "number" or g.nodes ~= floor(g.nodes) or g.nodes < 1 or g.nodes > MAX_COUNT then
      fail("mixed.nodes: expected how many of the cluster's nodes hold %s devices, a whole number from 1, got %s",
           g.sku, describe(g.nodes))
    end
    if g.balance ~= nil and g.balance ~= "wait" and g.balance ~= "speed" then
      fail("mixed.balance: expected \"wait\" (every node the same share; the step waits for the slower generation) "
           .. "or \"speed\" (shares in proportion to each generation's speed), got %s", describe(g.balance))
    end
    if r.slow_nodes ~= nil or r.slow_fraction ~= nil then
      fail("mixed: give mixed or stragglers.slow_nodes / slow_fraction, not both (the other generation's nodes are "
           .. "the slow or fast ones)")
    end
    r.mixed_sku, r.mixed_nodes, r.mixed_balance = g.sku, floor(g.nodes), g.balance or "wait"
  end
  return r
end)

runner.infer = validated("infer", function(t)
  expect_table(t, "infer")
  check_keys(t, {"model", "batch", "samples", "precision", "stack"}, nil)
  if not is(t.model, "model") then fail("model: expected models.<name> or model{...}, got %s", describe(t.model)) end
  return {model = t.model, batch = t.batch and positive_int(t.batch, "batch") or 1,
          samples = t.samples and positive_int(t.samples, "samples") or 1,
          precision = one_of(t.precision, PRECISIONS, "precision", "fp32"), stack = stack_of(t.stack)}
end)

run = api("run", function(c, fn)
  if not is(c, "cluster") then fail("expected a cluster{...} first, got %s", describe(c)) end
  if type(fn) ~= "function" then fail("expected the run function second, got %s", describe(fn)) end
  if the_run ~= nil then fail("a scenario has one run(); it was already called") end
  if next(jobs) ~= nil then fail("a scenario has one run() or several job{}s on a cluster, not both") end
  if rawget(c, "spare_nodes") ~= nil then
    fail("cluster.spares: a cluster's spare nodes are shared by its job{}s; one run() gives its own with "
      .. "r:train{failures = { spares = K, repair = \"...\" }}")
  end
  the_run = create(function() return fn(setmetatable({cluster = c}, runner)) end)
  ts.set_run(c, the_run, ACTION, ts.where(4)) -- where run() is called: the line of the cluster's errors
end)

-- Several jobs on one cluster (docs/scenario-api.md, "Several jobs on one cluster"): each its own run function,
-- placed by the cluster's scheduler on `devices` of its accelerators, all at once.
job = api("job", function(t)
  expect_table(t, "job")
  check_keys(t, {"cluster", "name", "arrival", "priority", "devices", "group", "restart", "run"}, nil)
  if the_run ~= nil then fail("a scenario has one run() or several job{}s on a cluster, not both") end
  if not is(t.cluster, "cluster") then fail("cluster: expected a cluster{...}, got %s", describe(t.cluster)) end
  if type(t.name) ~= "string" or #t.name == 0 or #t.name > 64 then
    fail("name: expected a name of 1 to 64 characters, got %s", describe(t.name))
  end
  if job_names[t.name] then fail("name: a job named %q already exists", t.name) end
  if type(t.run) ~= "function" then fail("run: expected the job's run function, function(r) ... end, got %s", describe(t.run)) end
  local priority = t.priority or 0
  if mtype(priority) ~= "integer" or priority < -1000000 or priority > 1000000 then
    fail("priority: expected an integer from -1000000 to 1000000 (higher goes first), got %s", describe(t.priority))
  end
  if t.group ~= nil and (type(t.group) ~= "string" or #t.group == 0 or #t.group > 64) then
    fail("group: expected a name of 1 to 64 characters (fair share is between groups), got %s", describe(t.group))
  end
  local total = rawget(rawget(t.cluster, "accelerator"), "devices")
  local devices = count(t.devices, "devices")
  if total and devices > total then
    fail("devices: the job asks for %d devices; the cluster has %d", devices, total)
  end
  local fn, c = t.run, t.cluster
  local co = create(function() return fn(setmetatable({cluster = c}, runner)) end)
  jobs[co] = true
  job_names[t.name] = true
  ts.add_job(c, co, ACTION, {name = t.name, arrival = duration(t.arrival, "arrival", 0), priority = priority,
                             devices = devices, group = t.group, restart = duration(t.restart, "restart", 0),
                             where = ts.where(4)})
end)
