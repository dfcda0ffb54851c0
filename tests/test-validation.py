#!/usr/bin/env python3
"""/validation/...: `trainsim validate --json` against the published runs (docs/validation.md), as TAP.

  regression  every case runs, and none is further from its published figure than plugins/calibration.json
              recorded at the last fit (2 points of slack per case, 1 point on the median): a change to the model
              that makes forecasts worse fails CI.
  targets     in sample, median |error| <= TARGET_MEDIAN and every case within TARGET_MAX, checked on the actual
              output, always: regression guards at the measured state of the last fit (the guards' history
              below; docs/validation.md, "Status" and "History of the figures").
  coverage    issue 12's case counts (>= 60 cases, >= 10 chips, >= 25 from allowed MLPerf rounds, >= 8 on
              >= 1,000 devices) and no case from an MLPerf round kept aside.
  fresh       the calibration file in the build tree is the one in the source tree (a fit was rebuilt in).
  fit_summary calibration.json (schema 2) holds every measure of issue 12, constants <= cases / 4, LOFO
              median at or below LOFO_MEDIAN, its measured figure.
  tp_overlap_rule  a case hides tensor-parallel traffic only where its header quotes the configuration line that
              pipelines it (TP_COMM_OVERLAP=True: the stack's fraction; XLA's all-gather decomposition alone: 0.5).
  tp_overlap_read  a tensor-parallel case whose header quotes an NVIDIA configuration file (config_*.sh) says what
              that file says about TP_COMM_OVERLAP, so sibling cases of one implementation are stated alike.
  stack_rule  every case states its software stack on r:train, and it is the stack that docs/validation.md's
              rule ("Which stack a case has") gives for the words of its source quoted in
              published.stack_evidence: a stack is never chosen to reduce a case's error.

Usage: test-validation.py TRAINSIM SOURCE_ROOT
"""

import json
import os
import re
import statistics
import subprocess
import sys

CASE_SLACK = 0.02
MEDIAN_SLACK = 0.01
# Regression guards at the measured state (docs/validation.md, "Status"), not issue 12's targets.  The
# thirty-sixth fit (2026-12-07: a product's operands read again for each output block of the other side, blocks of
# the shared fitted matmul_reuse_edge, 817.6 elements; docs/model.md, "Operand re-reads"): in-sample median 5.5 %
# (0.0554), worst 20.8 %, LOFO median 13.7 % (0.1365), objective 0.681 -> 0.643.  The median and LOFO guards
# tighten (0.066 -> 0.056, 18.4 -> 13.7 %); the worst-case guard stays at 21 % (20.5 -> 20.8 %: BERT on 4,096 A100).  The
# thirty-fifth fit (2026-12-07: a GPU product's output dimension of 64 or less is padded to a 64-wide tile, not
# 128; cuBLASLt's tile list): in-sample median 6.6 % (0.0658), worst 20.5 %, LOFO median 18.4 %, objective 0.730 ->
# 0.681.  The LOFO guard tightens (19.0 -> 18.4 %); the median guard follows 0.0640 -> 0.0658 (0.0645 -> 0.066:
# the refit spread the gain over the LOO and LOFO measures and the worst LOO case, 23.1 -> 21.8 %, while more
# cases sit a little off the middle); the worst-case guard stays at 21 % (20.1 -> 20.5 %).  The
# thirty-fourth fit (2026-12-07: the attention core's kernel; Blackwell's BERT runs state FlashAttention-2, at the
# catalog's measured attention_flash2 rate, and BERT on 8 H200 Transformer Engine's FP8 attention): in-sample median
# 6.4 % (0.0640), worst 20.1 %, LOFO median 19.0 %, objective 0.848 -> 0.730.  All three guards tighten (0.0715 ->
# 0.0645, 28 -> 21 %, 21.7 -> 19.0 %).  The
# thirty-third fit (2026-12-07: the four Llama 3.1 405B cases state the pipeline split their sources set,
# parallel.partition = "layers+embeddings"; GPT-3 on 512 H100 states its tensor-parallel overlap): in-sample median
# 7.1 % (0.0714), worst 27.8 %, LOFO median 21.7 %, objective 0.863 -> 0.848.  The LOFO guard tightens
# (23.5 -> 21.7 %); the median guard follows 0.0709 -> 0.0714 and the worst-case guard 26 -> 28 %: its case, GPT-3 175B on 64 B200 (+25.1 -> +27.7 %), was
# too slow already and moves with Blackwell's one efficiency (0.426 -> 0.409) once Llama 3.1 405B on 512 GB200 no
# longer holds it up (+17 -> +12.8 %, its source's split stated), while the objective and LOFO fell.  The
# thirty-second fit (2026-12-07: parallel.partition = "layers+embeddings", DeepSpeed's 'type:transformer|embedding'
# pipeline split, stated by BLOOM 176B): in-sample median 7.1 % (0.0709), worst 25.1 %, LOFO median 23.5 %,
# objective 0.879 -> 0.863.  The LOFO guard tightens (23.6 -> 23.5 %); the others stay.  The
# thirty-first fit (2026-12-07: the seven MXNet ResNet-50 MLPerf cases state dp_overlap = false, Horovod's
# one-group all-reduce in the optimizer's update): in-sample median 7.1 % (0.0709), worst 25.1 %, LOFO median
# 23.6 %, objective 0.900 -> 0.879.  The median and LOFO guards tighten (7.5 -> 7.1 %, 24.1 -> 23.6 %); the
# worst-case guard follows 24 -> 26 %: its case, GPT-3 175B on 64 B200 (+23.9 -> +25.1 %), was too slow already
# and moves with the tuned stack's shared constants (overlap 0.87 -> 1, overhead 0.74 -> 0.01 ms), while every
# median and the objective fell.  The
# thirtieth fit (2026-12-07: r:train's batch_norm; three MLPerf ResNet-50 cases state NVIDIA's MXNet
# convolution-fused batch norms from their symbol files): in-sample median 7.5 % (0.0747), worst 23.9 %, LOFO
# median 24.1 %, objective 0.979 -> 0.900.  The median and worst-case guards tighten (7.6 -> 7.5 %, 26 -> 24 %);
# the LOFO guard follows 23.9 -> 24.1 %: the refit raised the tuned stack's fusion (0.41 -> 0.63) and Hopper's
# leave-one-family-out median moved 16.6 -> 18.0 %, while the objective, the medians and both worst cases fell.
# The twenty-ninth fit (2026-12-07: ZeRO-1 within a shard_group; the six MLPerf BERT cases state apex's
# DistributedFusedLAMB as their configurations set it -- state sharded over a node, gradients all-reduced across
# nodes, reductions overlapped only with --dwu-overlap-reductions): in-sample median 7.6 % (0.0756), worst 25.2 %,
# LOFO median 23.9 %, objective 0.984 -> 0.979.  The worst-case guard tightens (29 -> 26 %); the median and LOFO
# guards are loosened to the figures (7.4 -> 7.6 %, 21.8 -> 23.9 %): BERT on 4,096 A100 (+3.9 -> +24.1 %) now
# waits for its reduction, which its configuration says, and the ring across 512 nodes is slower than what NCCL
# runs there (docs/model.md, "GPU"); the tuned stack's overlap is fitted (1 -> 0.87).  The
# twenty-eighth fit (2026-12-07: the host launches ahead of the device; unfused optimizer updates' passes):
# in-sample median 7.4 % (0.0739), worst 28.4 %, LOFO median 21.7 %, objective 1.081 -> 0.984.  The median and
# LOFO guards tighten (8.0 -> 7.4 %, 24.9 -> 21.8 %); the worst-case guard follows 28 -> 29 %: its case, BERT on
# 3,472 H100 (+28.4 %), was too slow already and moves with the tuned fusion the eager floor frees, while every
# median and the objective fell.  The
# twenty-seventh fit (2026-12-07: no model change; tools/fit.py's Jacobian steps backward where a forward step
# would leave a constant's bounds -- trainsim had ignored the candidates with an efficiency or overlap above 1, so
# the columns of the memory efficiency and the overlaps were wrong and 79 of the 90 leave-one-out steps had been
# rejected): in-sample median 8.0 % (0.0797), worst 27.3 %, leave-one-out worst 35.1 %, LOFO median 24.9 %,
# objective 1.084 -> 1.081.  The median guard is loosened to the figure (7.9 -> 8.0 %): the same model, cases and
# constants fitted with a right Jacobian reach a lower objective, and the median moves 0.0782 -> 0.0797 with it;
# the worst-case and LOFO guards tighten (29 -> 28 %, 25.2 -> 24.9 %).  The
# twenty-sixth fit (2026-12-07: an evaluation pass runs the forward share of its tensor-, context- and
# expert-parallel collectives): in-sample median 7.8 % (0.0782), worst 28.9 %, leave-one-out worst 29.6 %, LOFO
# median 25.1 %, objective 1.147 -> 1.084.  Every guard tightens (median 8.1 -> 7.9 %, worst 30 -> 29 %, LOFO
# 25.9 -> 25.2 %).  The
# twenty-fifth fit (2026-12-07: Megatron-LM 2019 and BLOOM state their dropout, 0.1, as memory-bound passes):
# in-sample median 8.0 % (0.0801), worst 29.2 %, LOFO median 25.8 %, objective 1.167 -> 1.147.  The median and
# LOFO guards tighten (8.2 -> 8.1 %, 27.0 -> 25.9 %); the worst-case guard follows 29 -> 30 %: its case, GPT-3 175B
# on 64 B200, states no dropout and moved +28.8 -> +29.2 % with the shared constants' refit, while every median
# and the objective fell.  The twenty-fourth
# fit (2026-12-07: the six MLPerf BERT cases on A100, H100, H200, B200 and GB200 state the evaluations their configs
# run inside the timed region, EVAL_ITER_SAMPLES apart on 10,000 sequences): in-sample median 8.2 %, worst 28.8 %,
# leave-one-family-out median 27.0 %; the worst-case guard tightens (32 -> 29 %), the LOFO guard is loosened to the
# figure (25.7 -> 27.0 %): the cases state what their sources run (a pass costs about what the logs' eval_start/
# eval_stop show), the objective fell (1.227 -> 1.167), and Hopper, predicted from Blackwell's constants, moves with
# Blackwell's efficiency (0.389 -> 0.397; Hopper's LOFO 19.2 -> 21.2 %).  The twenty-third
# fit (2026-12-07: each output tile of a product pays a fitted fixed time outside its k loop, 2.20 us shared by the
# GPU generations, so an 8-bit product's short loop gains less than twice the rate; each pass of a product with its
# own shape; split-K): in-sample median 8.2 %, worst 32.0 %, leave-one-family-out median 25.7 %; the guards follow
# (median 8.1 -> 8.2 %, worst 40 -> 32 %, LOFO 31.6 -> 25.7 %).  The
# twenty-second fit (2026-12-07: Megatron-LM 2019, MT-NLG and BLOOM state their attention, which wrote the score
# matrix to memory) measured 8.0 %, 38.7 % and 31.6 % (objective 1.472 -> 1.382): the median and LOFO guards
# tighten with it (8.7 -> 8.1 %, 32.0 -> 31.6 %).  The twenty-first
# fit (2026-12-07: int8 as AQT's per-use quantization, docs/model.md "The 8-bit pass") measured 8.6 %, 39.1 % and
# 32.0 % (objective 1.560 -> 1.472): the median and LOFO guards tighten with it (9.4 -> 8.7 %, 33.2 -> 32.0 %).
# The twentieth
# fit (2026-12-07: the TPU cases state their sources' remat policies, docs/model.md "Recomputation policies")
# measured 9.3 %, 39.3 % and 33.2 %; the median guard tightens (9.6 -> 9.4 %), the LOFO guard follows the figure
# (32.4 -> 33.2 %, within the old guard's slack): the objective fell (1.675 -> 1.560), but TPU v5p fits better in
# sample, which sets its efficiency further from v6e's, from which it is predicted leaving its family out.  The
# nineteenth
# fit (2026-12-07) runs an evaluation pass through the model's operations (forward launches, a pipeline's fill)
# instead of its forward FLOPs at the matmul efficiency, which made the MLPerf runs' passes 2-20x shorter than their
# logs' eval_start/eval_stop: in-sample median 9.6 %, worst 39.3 % (GPT-3 on 64 B200, +38.1 -> +39.3 %: it was too
# slow already), leave-one-family-out median 32.4 % (Hopper, predicted with Blackwell's constants, 27.7 -> 35.4 %).
# The guards are loosened with it (median 9.4 -> 9.6 %, worst 39 -> 40 %, LOFO 28.9 -> 32.4 %): the objective fell
# (1.727 -> 1.675) and the passes now cost what the logs show; the cases that lost were too slow before it.  The
# eighteenth fit (2026-12-07) states DeepLearningExamples' ResNet-50 on one A100 and one V100 with the gradient accumulation its
# configs.yml sets (optimizer_batch_size 2048 = 8 micro-batches of 256): in-sample median 9.3 %, worst 38.1 %,
# leave-one-family-out median 28.9 %.  The median guard is loosened with it (9 -> 9.4 %) because the A100 case is a
# true input now (-1.3 -> +15.3 %, beside its 8-GPU twin at +15.4 %) though the objective fell (1.733 -> 1.727); the
# LOFO guard tightens (29.8 -> 28.9 %).  The seventeenth fit (BERT on H200, B200, GB200 at fp8) measured 8.6 %,
# 38.3 % and 29.7 %.  Before them, the fit with
# BERT's masked-LM head on the masked tokens alone (2026-12-07) on 90 cases measured an in-sample median of 8.4 %,
# a worst case of 28.4 % and a leave-one-family-out median of 24.9 %; the LOFO guard was loosened with it (22.8 ->
# 24.9 %): the masked head is what the pre-training code computes (docs/model.md), and Blackwell's efficiency fell
# with its BERT runs' head (0.412 -> 0.398), which Hopper inherits; those BERT runs are stated at fp16 although they
# run FP8 layers (docs/validation.md, "Where the model is off").  The data-parallel reduction window before it: 8.2 %,
# 28.7 % and 22.8 % (TPU v5p's pipelined all-gathers before it: 8.1 %, 28.7 % and
# 22.9 %; the 8-bit pass: 8.7 %, 28.1 % and 23.2 %; Blackwell's SM counts: 8.4 %, 30.4 % and 25.6 %; the
# communication overlap: 8.4 %, 30.3 % and 25.7 %; the shape-dependent products, 88 cases: 8.8 %, 26.2 % and
# 24.4 %; the NVLink domains, 87 cases: 9.8 %, 34.8 % and 22.0 %; the operator-level step, 84 cases: 9.8 %,
# 55.0 % and 20.2 %; one efficiency per generation x workload class: 12.3 %, +125.3 % and 25.3 %).  The worst case
# is GPT-3 175B on 64 B200 at fp8 (since the seventeenth fit; MaxText 1024b on 2,048 TPU v5p before it;
# docs/validation.md, "Where the model is off").
TARGET_MEDIAN = 0.056
TARGET_MAX = 0.21
LOFO_MEDIAN = 0.137  # leave-one-family-out median measured by the same fit

tests = []


def test(fn):
    tests.append(fn)
    return fn


def main():
    trainsim, root = sys.argv[1], sys.argv[2]
    cases_dir = os.path.join(root, "scenarios", "validation")
    with open(os.path.join(root, "plugins", "calibration.json")) as f:
        calibration = json.load(f)
    p = subprocess.run([trainsim, "validate", "--json", "--dir", cases_dir], capture_output=True, text=True,
                       env=dict(os.environ, TRAINSIM_CALIBRATION=""))
    ctx = {"run": p, "calibration": calibration, "root": root, "trainsim": trainsim}
    try:
        ctx["out"] = json.loads(p.stdout)
    except json.JSONDecodeError:
        ctx["out"] = None

    print("1..%d" % len(tests))
    failed = 0
    for i, fn in enumerate(tests, 1):
        try:
            skip = fn(ctx)
        except AssertionError as e:
            failed += 1
            print("not ok %d /validation/%s" % (i, fn.__name__))
            for line in str(e).splitlines():
                print("# " + line)
            continue
        if skip:
            print("ok %d /validation/%s # SKIP %s" % (i, fn.__name__, skip))
        else:
            print("ok %d /validation/%s" % (i, fn.__name__))
    return 1 if failed else 0


def recorded_errors(calibration):
    """Each case's in-sample error at the last fit (schema 2: calibration.json's cases{})."""
    return {n: c["in_sample_error"] for n, c in calibration.get("cases", {}).items()}


@test
def runs(ctx):
    p, out = ctx["run"], ctx["out"]
    assert out is not None, "validate --json printed no JSON (exit %d): %s" % (p.returncode, p.stderr.strip())
    failures = ["%s: %s" % (c["name"], c["failure"]) for c in out["cases"] if c.get("failure")]
    assert not failures, "cases failed to run:\n" + "\n".join(failures)
    assert p.returncode == 0, "exit %d with every case run" % p.returncode
    assert len(out["cases"]) >= 10, "only %d validation cases" % len(out["cases"])
    kinds = {(c["plugin"], c["workload"]) for c in out["cases"]}
    for k in [("tpu", "conv"), ("tpu", "transformer"), ("gpu", "conv"), ("gpu", "transformer")]:
        assert k in kinds, "no %s %s case" % k


# Issue 12's "Done means" for the case set, and the rounds kept aside for independent checking (HELPERS.md).
ALLOWED_MLPERF = {"v1.1", "v2.0", "v2.1", "v3.1", "v4.0", "v4.1", "v5.0", "v5.1"}
KEPT_ASIDE_MLPERF = {"v0.5", "v0.6", "v0.7", "v1.0", "v3.0"}


def mlperf_round(source):
    """The round ("v4.0") a source names as "MLPerf Training v4.0", else None."""
    m = re.search(r"MLPerf Training (v\d+\.\d+)", source or "")
    return m.group(1) if m else None


@test
def coverage(ctx):
    """At least 60 cases on at least 10 chips (a generation stands for its chip: memory variants such as A100
    40/80 GB, H100/H200 and B200/GB200 count once), at least 25 from the allowed MLPerf rounds, at least 8 on
    1,000 devices or more; no case from a round kept aside."""
    out = ctx["out"]
    assert out is not None, "no output"
    cases = out["cases"]
    chips = {c["generation"] for c in cases}
    rounds = [mlperf_round(c.get("source")) for c in cases]
    assert mlperf_round("MLPerf Training v4.0, NVIDIA, eos") == "v4.0" and mlperf_round("Goyal et al. 2017") is None
    kept = ["%s (%s)" % (c["name"], r) for c, r in zip(cases, rounds) if r in KEPT_ASIDE_MLPERF]
    assert not kept, "cases from MLPerf rounds kept aside for independent checking: " + ", ".join(kept)
    mlperf = sum(1 for r in rounds if r in ALLOWED_MLPERF)
    large = sum(1 for c in cases if c["devices"] >= 1000)
    short = []
    if len(cases) < 60:
        short.append("%d cases (>= 60)" % len(cases))
    if len(chips) < 10:
        short.append("%d chips (>= 10): %s" % (len(chips), ", ".join(sorted(chips))))
    if mlperf < 25:
        short.append("%d cases from allowed MLPerf rounds (>= 25)" % mlperf)
    if large < 8:
        short.append("%d cases on >= 1,000 devices (>= 8)" % large)
    assert not short, "issue 12's case counts: " + "; ".join(short)


@test
def regression(ctx):
    out = ctx["out"]
    assert out is not None, "no output"
    rec = recorded_errors(ctx["calibration"])
    worse = []
    for c in out["cases"]:
        if c["name"] not in rec:
            worse.append("%s: not in plugins/calibration.json - rerun python3 tools/fit.py" % c["name"])
        elif abs(c["error"]) > abs(rec[c["name"]]) + CASE_SLACK:
            worse.append("%s: |error| %.1f %% now, %.1f %% at the last fit"
                         % (c["name"], 100 * abs(c["error"]), 100 * abs(rec[c["name"]])))
    med = statistics.median(abs(c["error"]) for c in out["cases"])
    rec_med = ctx["calibration"]["summary"]["in_sample_median_abs_error"]
    if med > rec_med + MEDIAN_SLACK:
        worse.append("median |error| %.1f %% now, %.1f %% at the last fit" % (100 * med, 100 * rec_med))
    assert not worse, "accuracy regressed (docs/validation.md; refit with python3 tools/fit.py only if the " \
                      "model changed on purpose):\n" + "\n".join(worse)


@test
def targets(ctx):
    out = ctx["out"]
    assert out is not None, "no output"
    errs = [abs(c["error"]) for c in out["cases"]]
    med = statistics.median(errs)
    far = ["%s %+.1f %%" % (c["name"], 100 * c["error"]) for c in out["cases"] if abs(c["error"]) > TARGET_MAX]
    assert med <= TARGET_MEDIAN and not far, \
        "median |error| %.1f %% (<= %.0f %%); beyond %.0f %%: %s" % (100 * med, 100 * TARGET_MEDIAN, 100 * TARGET_MAX,
                                                              ", ".join(far) or "none")


# The rule of docs/validation.md, "Which stack a case has", as keywords of the quoted evidence (case-sensitive
# names of systems and frameworks).  First match wins.
STACK_RULE = [
    ("tuned", lambda e: "MLPerf" in e and "closed" in e.lower()),
    ("compiled", lambda e: any(k in e for k in ("XLA", "TPU", "JAX", "TensorFlow", "torch.compile"))),
    ("eager", lambda e: any(k in e for k in ("PyTorch", "Caffe2", "MXNet", "Megatron", "DeepSpeed", "FSDP",
                                             "xformers", "Composer"))),
]


def stack_by_rule(evidence):
    for stack, applies in STACK_RULE:
        if applies(evidence):
            return stack
    return None


@test
def stack_rule(ctx):
    out = ctx["out"]
    assert out is not None, "no output"
    # The rule itself, on the kinds of words it must tell apart.
    assert stack_by_rule("MLPerf Training v4.0, closed division, NVIDIA") == "tuned"
    assert stack_by_rule("MLPerf Training v4.0, open division, trained with PyTorch") == "eager"
    assert stack_by_rule("\"trained with JAX on TPU v5p\"") == "compiled"
    assert stack_by_rule("\"we use torch.compile\" in PyTorch") == "compiled"
    assert stack_by_rule("\"native PyTorch\"") == "eager"
    assert stack_by_rule("a paper that names no framework") is None
    wrong = []
    for c in out["cases"]:
        ev = c.get("stack_evidence")
        if not ev:
            wrong.append("%s: no published.stack_evidence (the source's words that decide its stack)" % c["name"])
            continue
        if c.get("stack_default"):
            wrong.append("%s: r:train states no stack" % c["name"])
            continue
        want = stack_by_rule(ev)
        if want is None:
            wrong.append("%s: the evidence names no system or framework the rule knows: %s" % (c["name"], ev))
        elif c.get("stack") != want:
            wrong.append("%s: stack %s, but the rule gives %s for %s" % (c["name"], c.get("stack"), want, ev))
    assert not wrong, "docs/validation.md, \"Which stack a case has\":\n" + "\n".join(wrong)


# docs/model.md, "Communication overlap": which words in a case's header say its tensor-parallel traffic is pipelined
# with the products, and how much of it the case may then hide.
TP_OVERLAP_RULE = [
    # NVIDIA's NeMo/Megatron userbuffer overlap: the stack's fitted fraction (tp_overlap = true).
    ("TP_COMM_OVERLAP=True", "true"),
    # XLA's decomposition of the all-gathers that feed products, the reduce-scatters left whole: half the volume.
    ("--xla_tpu_decompose_all_gather_einsum=true", "0.5"),
]


def tp_overlap_by_rule(header):
    for words, value in TP_OVERLAP_RULE:
        if words in header:
            if value == "0.5" and "--xla_tpu_decompose_einsum_reduce_scatter=true" in header:
                return "true"  # both halves decomposed
            return value
    return None


def case_headers(ctx):
    """Each case of scenarios/validation as (file name, its header comment lines, its code lines)."""
    cases_dir = os.path.join(ctx["root"], "scenarios", "validation")
    for name in sorted(os.listdir(cases_dir)):
        if not name.endswith(".lua"):
            continue
        with open(os.path.join(cases_dir, name)) as f:
            text = f.read()
        header = "\n".join(line for line in text.splitlines() if line.startswith("--"))
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
        yield name, header, code


@test
def tp_overlap_rule(ctx):
    """A case hides tensor-parallel traffic only where its header quotes the configuration line that pipelines it,
    and by the amount that line gives (never chosen to reduce an error)."""
    assert tp_overlap_by_rule("export TP_COMM_OVERLAP=True") == "true"
    assert tp_overlap_by_rule('LIBTPU_INIT_ARGS="... --xla_tpu_decompose_all_gather_einsum=true ..."') == "0.5"
    assert tp_overlap_by_rule("--xla_tpu_enable_async_collective_fusion=true") is None
    wrong = []
    for name, header, code in case_headers(ctx):
        m = re.search(r"\btp_overlap\s*=\s*([\w.]+)", code)
        stated = m.group(1) if m else None
        want = tp_overlap_by_rule(header)
        if stated != want:
            wrong.append("%s: tp_overlap = %s, but its header's words give %s" % (name, stated, want))
    assert not wrong, "docs/model.md, \"Communication overlap\":\n" + "\n".join(wrong)


@test
def tp_overlap_read(ctx):
    """A tensor-parallel case whose header quotes an NVIDIA NeMo/Megatron configuration file (config_*.sh) names
    TP_COMM_OVERLAP: the line it quotes, or that the file sets none.  tp_overlap_rule alone passes a case whose
    header never looked: GPT-3 on 512 H100 (MLPerf v3.1) stated no overlap while its config exports
    TP_COMM_OVERLAP=True, as its 4,096-GPU sibling's does."""
    wrong = []
    for name, header, code in case_headers(ctx):
        m = re.search(r"\btensor\s*=\s*(\d+)", code)
        if not m or int(m.group(1)) <= 1 or not re.search(r"\bconfig_\w+\.sh\b", header):
            continue
        if "TP_COMM_OVERLAP" not in header:
            wrong.append("%s: tensor = %s and quotes a config_*.sh, but says nothing of its TP_COMM_OVERLAP"
                         % (name, m.group(1)))
    assert not wrong, "docs/model.md, \"Communication overlap\":\n" + "\n".join(wrong)


@test
def fit_summary(ctx):
    """The fit's own figures (plugins/calibration.json, written by tools/fit.py): every measure issue 12 names is
    there, the constants are at most a quarter of the cases (21 for 90), leave-one-family-out stays at or below the
    measured state of docs/validation.md (LOFO_MEDIAN), and `trainsim validate --json` says the same figures under
    "fit" (its text prints them under the cases' own line)."""
    assert ctx["calibration"].get("schema_version") == 2, "calibration.json is not schema 2: rerun python3 tools/fit.py"
    s = ctx["calibration"]["summary"]
    for key in ("cases", "constants", "in_sample_median_abs_error", "loo_median_abs_error", "loo_max_abs_error",
                "lofo_median_abs_error"):
        assert key in s, "calibration.json summary lacks %s: rerun python3 tools/fit.py" % key
    assert 4 * s["constants"] <= s["cases"], "%d constants for %d cases: more than cases / 4" % (s["constants"],
                                                                                              s["cases"])
    assert s["lofo_median_abs_error"] <= LOFO_MEDIAN + MEDIAN_SLACK, \
        "leave-one-family-out median %.1f %%, %.1f %% at the fit of 2026-12-07" % (100 * s["lofo_median_abs_error"],
                                                                                100 * LOFO_MEDIAN)
    fit = (ctx["out"] or {}).get("fit")
    assert fit is not None, "validate --json gives no \"fit\""
    for key in ("cases", "constants", "in_sample_median_abs_error", "loo_median_abs_error", "loo_max_abs_error",
                "lofo_median_abs_error"):
        assert fit[key] == s[key], "validate --json's fit.%s is %r, calibration.json's %r" % (key, fit[key], s[key])


@test
def fresh(ctx):
    src = ctx["calibration"]
    built = os.path.join(os.path.dirname(os.path.abspath(ctx["trainsim"])), "plugins", "calibration.json")
    if not os.path.exists(built):
        return "no build-tree calibration.json beside %s" % ctx["trainsim"]
    with open(built) as f:
        assert json.load(f) == src, "build/plugins/calibration.json differs from plugins/calibration.json: rebuild"


if __name__ == "__main__":
    sys.exit(main())
