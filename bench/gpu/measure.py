#!/usr/bin/env python3
"""Time real training steps on one GPU, for docs/calibration-gpu.md.

Measures ResNet-50 (torchvision's definition rebuilt here, so only PyTorch is needed) and a GPT-style
decoder stack: step time and peak device memory at several batch sizes, bf16 autocast and fp32.  The
slope of peak memory against batch gives activation bytes per sample; step time gives achieved FLOP/s.
Prints one JSON object per measurement.  Run: python3 bench/gpu/measure.py > out.jsonl
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inp, width, stride, down):
        super().__init__()
        self.conv1 = nn.Conv2d(inp, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, width * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(width * 4)
        self.down = down

    def forward(self, x):
        idt = x if self.down is None else self.down(x)
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        x = self.bn3(self.conv3(x))
        return F.relu(x + idt)


class ResNet50(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        layers, inp = [], 64
        for width, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
            for i in range(blocks):
                s = stride if i == 0 else 1
                down = None
                if s != 1 or inp != width * 4:
                    down = nn.Sequential(nn.Conv2d(inp, width * 4, 1, s, bias=False), nn.BatchNorm2d(width * 4))
                layers.append(Bottleneck(inp, width, s, down))
                inp = width * 4
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(2048, 1000)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 3, 2, 1)
        x = self.layers(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, 4 * d)
        self.fc2 = nn.Linear(4 * d, d)
        self.heads = heads

    def forward(self, x):
        b, s, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, s, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, s, d)
        x = x + self.proj(a)
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


class GPT(nn.Module):
    def __init__(self, layers, d, heads, vocab, seq):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.zeros(seq, d))
        self.blocks = nn.Sequential(*[Block(d, heads) for _ in range(layers)])
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, idx):
        return self.head(self.ln(self.blocks(self.emb(idx) + self.pos)))


def measure(name, model, make_batch, loss_fn, batch, dtype, steps=15, warmup=4):
    dev = torch.device("cuda")
    model = model.to(dev)
    if name == "resnet50":
        model = model.to(memory_format=torch.channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9) if name == "resnet50" else \
        torch.optim.AdamW(model.parameters(), lr=1e-4)
    x, y = make_batch(batch, dev)
    torch.cuda.reset_peak_memory_stats()
    base = torch.cuda.memory_allocated()

    def step():
        opt.zero_grad(set_to_none=True)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=dtype == "bf16"):
            loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(warmup):
        step()
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    torch.cuda.synchronize()
    dt = (time.perf_counter() - t0) / steps
    peak = torch.cuda.max_memory_allocated()
    params = sum(p.numel() for p in model.parameters())
    out = {"model": name, "batch": batch, "precision": dtype, "step_s": dt, "peak_bytes": peak,
           "base_bytes": base, "params": params, "device": torch.cuda.get_device_name(0),
           "torch": torch.__version__}
    print(json.dumps(out), flush=True)
    del opt
    return out


def main():
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    ce = nn.CrossEntropyLoss()

    def img(b, dev):
        return (torch.randn(b, 3, 224, 224, device=dev).to(memory_format=torch.channels_last),
                torch.randint(0, 1000, (b,), device=dev))

    for dtype in ("bf16", "fp32"):
        for b in (32, 64, 128, 256):
            torch.manual_seed(0)
            measure("resnet50", ResNet50(), img, ce, b, dtype)
            torch.cuda.empty_cache()

    L, d, heads, vocab, seq = 12, 2048, 16, 32000, 2048

    def tok(b, dev):
        idx = torch.randint(0, vocab, (b, seq), device=dev)
        return idx, idx

    def lm_loss(logits, y):
        return ce(logits.view(-1, logits.size(-1)), y.view(-1))

    for b in (2, 4, 8):
        torch.manual_seed(0)
        measure("gpt-12x2048", GPT(L, d, heads, vocab, seq), tok, lm_loss, b, "bf16", steps=10, warmup=3)
        torch.cuda.empty_cache()


if __name__ == "__main__":
    sys.exit(main())
