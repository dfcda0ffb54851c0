#!/usr/bin/env python3
"""/report/browser/...: report.html rendered by a real browser (headless Chromium driven over the DevTools
protocol on a pipe, Python's standard library only), as TAP.

  run           `trainsim run --out` on the flagship: the page loads from disk with no console message, no
                exception and no request other than the file itself; the headline's time and cost are in the
                rendered text exactly as the terminal summary prints them, and their data-value attributes equal
                summary.json's total_time_s and cost_usd.total; a screenshot that is not blank.
  run, replicas  (without and with --replicas 3) the P10/P50/P90 of time and cost shown equal summary.json's
                quantiles (the model's band, mixed over the draws), and the terminal headline's ranges
                ('1 h 22 min - 1 h 55 min (P10-P90)') say the same.
  regenerate    `trainsim report DIR` rewrites report.html byte for byte.
  sweep         `sweep --out --deadline`: the recommendation's time and cost as the terminal prints them and equal
                to sweep.json's, every variant's too, one point per variant on logarithmic axes, a screenshot.
  sweep_replicas  with --replicas 3, each variant's P10-P90 equal to sweep.json's quantiles.
  compare       `compare --out`: each alternative's time and cost as the terminal table shows them and equal to
                compare.json's; fits, time and cost before the rest; every difference on the page; a screenshot.
  regenerate_sweep_compare  `trainsim report` rewrites those two byte for byte, from DIR or its JSON file.
  print_a4      each of the three prints on A4 paper (Page.printToPDF honouring the page's @page rule).

Skipped, saying so, when no chromium is installed (`apt-get install chromium`; CI installs it: Makefile).
With REPORT_SCREENSHOTS=DIR the screenshots are also saved there as report.png (run), report-sweep.png and
report-compare.png (docs/img's come from it: docs/outputs.md says the command).

Usage: test-report-browser.py TRAINSIM SOURCE_ROOT
"""

import base64
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

tests = []


def test(fn):
    tests.append(fn)
    return fn


class Browser:
    """Chromium with --remote-debugging-pipe: commands on its fd 3, answers and events on its fd 4."""

    def __init__(self, exe, profile):
        to_r, self.to_w = os.pipe()
        self.from_r, from_w = os.pipe()

        def child_fds():  # copies first: a pipe end may already be fd 3 or 4, and dup2 onto itself keeps CLOEXEC
            r, w = os.dup(to_r), os.dup(from_w)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-pipe",
             "--user-data-dir=" + profile, "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
             "--window-size=1000,1400", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=child_fds, close_fds=False)  # our pipe ends are close-on-exec; 3 and 4 are dup2's
        os.close(to_r)
        os.close(from_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def read_message(self, deadline):
        while b"\0" not in self.buf:
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self.from_r, 65536)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=True, timeout=60):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.to_w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self.read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m["result"]
            self.events.append(m)

    def wait_event(self, method, timeout=60):
        deadline = time.monotonic() + timeout
        for m in self.events:
            if m.get("method") == method:
                return m
        while True:
            m = self.read_message(deadline)
            self.events.append(m)
            if m.get("method") == method:
                return m

    def open_page(self):
        targets = self.call("Target.getTargets", session=False)["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True},
                                 session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(domain + ".enable")

    def close(self):
        try:
            self.call("Browser.close", session=False, timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_w)
        os.close(self.from_r)


def png_colours(data):
    """The number of distinct colours of an 8-bit RGB/RGBA PNG (what Chromium writes), decoded by hand."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, ctype = 8, b"", 0, 0, 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), f"PNG depth {depth} colour type {ctype}"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    bpp = 4 if ctype == 6 else 3
    raw, stride, prev, colours = zlib.decompress(idat), width * bpp, bytearray(width * bpp), set()
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if y % 8 == 0:
            colours.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp * 4))
        prev = line
    return len(colours)


def render(chromium, html_path, tmp, extra=None):
    """Load the page; return (inner text, headline values {id: (text, data-value)}, screenshot PNG, problems), and
    with `extra` (a JavaScript expression) its value as a fifth."""
    b = Browser(chromium, os.path.join(tmp, "profile"))
    try:
        b.open_page()
        url = "file://" + os.path.abspath(html_path)
        b.call("Page.navigate", {"url": url})
        b.wait_event("Page.loadEventFired")
        text = b.call("Runtime.evaluate", {"expression": "document.body.innerText", "returnByValue": True})
        values = b.call("Runtime.evaluate", {"returnByValue": True, "expression":
                        "JSON.stringify(Object.fromEntries([...document.querySelectorAll('[data-value]')]"
                        ".map(e => [e.id, [e.textContent, e.dataset.value]])))"})
        more = None
        if extra:
            more = json.loads(b.call("Runtime.evaluate", {"expression": "JSON.stringify(" + extra + ")",
                                                          "returnByValue": True})["result"]["value"])
        metrics = b.call("Page.getLayoutMetrics")["cssContentSize"]
        shot = b.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": {
            "x": 0, "y": 0, "width": 1000, "height": min(metrics["height"], 1500), "scale": 1}})
        problems = []
        for m in b.events:
            meth, p = m.get("method"), m.get("params", {})
            if meth == "Network.requestWillBeSent" and p["request"]["url"] != url:
                problems.append("request to " + p["request"]["url"])
            elif meth == "Runtime.consoleAPICalled":
                problems.append("console." + p["type"] + ": " + json.dumps(p.get("args"))[:200])
            elif meth == "Runtime.exceptionThrown":
                problems.append("exception: " + json.dumps(p)[:200])
            elif meth == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
                problems.append("log " + p["entry"]["level"] + ": " + p["entry"]["text"])
        result = (text["result"]["value"], json.loads(values["result"]["value"]),
                  base64.b64decode(shot["data"]), problems)
        return result + (more,) if extra else result
    finally:
        b.close()


def save_shot(name, shot):
    """With REPORT_SCREENSHOTS=DIR, keep the screenshot as DIR/name (docs/img's report*.png come from it)."""
    if os.environ.get("REPORT_SCREENSHOTS"):
        with open(os.path.join(os.environ["REPORT_SCREENSHOTS"], name), "wb") as f:
            f.write(shot)


def terminal_row(stdout, label):
    m = re.search(r"^\s+" + re.escape(label) + r"\s{2,}(.+)$", stdout, re.M)
    assert m, f"no '{label}' row in the terminal summary"
    return m.group(1).strip()


def run_and_render(ctx, name, extra):
    out = os.path.join(ctx["tmp"], name)
    p = subprocess.run([ctx["trainsim"], "run", os.path.join(ctx["root"], "scenarios/simclr-tpu-v3-128.lua"),
                        "--out", out] + extra, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    summary = json.load(open(os.path.join(out, "summary.json")))
    text, values, shot, problems = render(ctx["chromium"], os.path.join(out, "report.html"), ctx["tmp"])
    assert not problems, "; ".join(problems)
    return out, p.stdout, summary, text, values, shot


def check_value(values, text, key, expected_text, expected_value):
    assert key in values, f"#{key} missing from the rendered page"
    shown, value = values[key]
    assert shown == expected_text, f"#{key} shows {shown!r}, the terminal {expected_text!r}"
    assert float(value) == expected_value, f"#{key} carries {value}, summary.json {expected_value!r}"
    assert expected_text in text, f"{expected_text!r} not in the rendered text"


@test
def run(ctx):
    out, stdout, s, text, values, shot = run_and_render(ctx, "run", [])
    check_value(values, text, "headline-time", terminal_row(stdout, "wall time"), s["total_time_s"])
    check_value(values, text, "headline-cost", terminal_row(stdout, "cost"), s["cost_usd"]["total"])
    check_range(stdout, s, values, text)
    # Energy and carbon: the terminal's row and the report's section give summary.json's figures in the same words.
    m = re.match(r"(\S+ kWh) \(PUE [^)]*\), (\S+ kg CO2e) at ", terminal_row(stdout, "energy"))
    assert m, "the terminal's energy row gives no kWh and kg CO2e"
    check_value(values, text, "energy-kwh", m.group(1), s["energy"]["kwh"])
    check_value(values, text, "energy-co2", m.group(2), s["energy"]["co2_kg"])
    for words in ("Assumptions", "Phases", "Diagnostics", "Energy and carbon", s["cluster"]["device"], s["provenance"]["pricing"]):
        assert words in text, f"{words!r} not in the rendered text"
    colours = png_colours(shot)
    assert colours >= 8, f"the screenshot has {colours} colours: blank"
    save_shot("report.png", shot)
    return f"{len(text)} characters, {colours} colours sampled"


def check_range(stdout, s, values, text):
    """The headline range: P10/P50/P90 shown equal summary.json's quantiles, and the terminal's range rows say
    the same P10 and P90 in the same words."""
    q = s["quantiles"]
    for k in ("p10", "p50", "p90"):
        assert float(values["time-" + k][1]) == q[k]["time_s"], f"time-{k} differs from summary.json"
        assert float(values["cost-" + k][1]) == q[k]["cost_usd"], f"cost-{k} differs from summary.json"
        assert values["time-" + k][0] in text
    assert q["p10"]["time_s"] < q["p90"]["time_s"], "the band gives no range"
    want = f"{values['time-p10'][0]} - {values['time-p90'][0]} (P10-P90)"
    assert terminal_row(stdout, "wall time range") == want, f"terminal range is not {want!r}"
    want = f"{values['cost-p10'][0]} - {values['cost-p90'][0]} (P10-P90)"
    assert terminal_row(stdout, "cost range") == want, f"terminal cost range is not {want!r}"


@test
def replicas(ctx):
    out, stdout, s, text, values, shot = run_and_render(ctx, "replicas", ["--replicas", "3"])
    check_range(stdout, s, values, text)
    assert s["quantiles_basis"]["draws"] == 3, "the range is not over the 3 draws"
    # The terminal's replica rows are the draws alone (summary.json replicas.draws), before the band.
    m = re.search(r"^\s+wall time\s+P10 (.+), P50 (.+), P90 (.+)$", stdout, re.M)
    assert m, "no replica row in the terminal summary"
    assert m.group(2) == terminal_row(stdout, "wall time"), "the draws' median is not the run's own time"
    return "P10/P50/P90 of time and cost as in summary.json"


@test
def regenerate(ctx):
    out = os.path.join(ctx["tmp"], "run")
    before = open(os.path.join(out, "report.html"), "rb").read()
    os.remove(os.path.join(out, "report.html"))
    p = subprocess.run([ctx["trainsim"], "report", out], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert open(os.path.join(out, "report.html"), "rb").read() == before, "trainsim report wrote other bytes"
    return "byte-identical"


SWEEP = ["scenarios/dgx-station-vs-aws.lua", "--set", "where=station,aws", "--set", "batch=32..1024x2",
         "--set", "epochs=60,90", "--deadline", "4h"]

# Each point of the time-cost chart: its centre and the option its tooltip names ("#22: ...").
PARETO_POINTS = ("[...document.querySelectorAll('svg.pareto circle, svg.pareto path')]"
                 ".filter(e => e.querySelector('title')).map(e => { const b = e.getBBox();"
                 " return [e.querySelector('title').textContent, b.x + b.width / 2, b.y + b.height / 2]; })")


def run_command(ctx, args, name):
    out = os.path.join(ctx["tmp"], name)
    p = subprocess.run([ctx["trainsim"]] + args + ["--out", out], capture_output=True, text=True, timeout=300,
                       cwd=ctx["root"])
    assert p.returncode == 0, p.stderr
    return out, p.stdout


def check_log_axis(points, runs, key, coordinate):
    """The points' coordinates are an affine function of log10 of the run's value: fitted on the two extremes,
    every other point within half a unit of the drawing."""
    pairs = sorted((math.log10(key(runs[label])), pos[coordinate]) for label, pos in points.items())
    (l0, p0), (l1, p1) = pairs[0], pairs[-1]
    assert l1 > l0, "every point has the same value"
    for lv, pv in pairs:
        want = p0 + (p1 - p0) * (lv - l0) / (l1 - l0)
        assert abs(pv - want) < 0.5, f"a point at {pv:.2f} where a log axis puts it at {want:.2f}"


@test
def sweep(ctx):
    """sweep --out's report.html: the recommendation's time and cost as the terminal states them and equal to
    sweep.json's, every listed variant's time and cost equal to sweep.json's, one point per variant on log axes."""
    out, stdout = run_command(ctx, ["sweep"] + SWEEP + ["--top", "0"], "sweep")
    s = json.load(open(os.path.join(out, "sweep.json")))
    text, values, shot, problems, pts = render(ctx["chromium"], os.path.join(out, "report.html"), ctx["tmp"],
                                               PARETO_POINTS)
    assert not problems, "; ".join(problems)
    rec = next(r for r in s["runs"] if r["recommended"])
    m = re.search(r"#%d .*\((.+), (.+ USD)\)$" % rec["index"], stdout, re.M)
    assert m, "no recommendation line in the terminal output"
    check_value(values, text, "recommended-time", m.group(1), rec["total_time_s"])
    check_value(values, text, "recommended-cost", m.group(2), rec["cost_usd"]["total"])
    for r in s["runs"]:
        i = r["index"]
        assert float(values[f"time-{i}"][1]) == r["total_time_s"], f"#{i}'s time differs from sweep.json"
        assert float(values[f"cost-{i}"][1]) == r["cost_usd"]["total"], f"#{i}'s cost differs from sweep.json"
    assert int(values["pareto-count"][0]) == s["counts"]["pareto"] == sum(r["pareto"] for r in s["runs"])
    by_label = {}
    for r in s["runs"]:
        by_label["#%d" % r["index"]] = r
    points = {}
    for title, x, y in pts:
        label = title.split(":")[0]
        assert label in by_label, f"a point for {title!r}, which is no variant"
        points[label] = (x, y)
    assert len(points) == len(s["runs"]) == len(pts), f"{len(pts)} points for {len(s['runs'])} variants"
    check_log_axis(points, by_label, lambda r: r["total_time_s"], 0)
    check_log_axis(points, by_label, lambda r: r["cost_usd"]["total"], 1)
    assert "(recommended)" in text and "Why:" in text, "the recommendation is not marked and explained"
    colours = png_colours(shot)
    assert colours >= 8, f"the screenshot has {colours} colours: blank"
    save_shot("report-sweep.png", shot)
    return f"{len(points)} points on log axes, {len(s['runs'])} rows as in sweep.json"


@test
def sweep_replicas(ctx):
    """sweep --replicas: each variant's P10-P90 of time and cost shown equal sweep.json's quantiles (summary.json's
    shape, the range `run --replicas` gives the variant's seed)."""
    out, stdout = run_command(ctx, ["sweep", "scenarios/staged-provisioning.lua", "--set", "staged=true,false",
                                    "--replicas", "3", "--deadline", "1 day"], "sweep-replicas")
    s = json.load(open(os.path.join(out, "sweep.json")))
    text, values, shot, problems = render(ctx["chromium"], os.path.join(out, "report.html"), ctx["tmp"])
    assert not problems, "; ".join(problems)
    assert "time P10\u2013P90" in text and "over 3 seeds" in text, "no range columns"
    for r in s["runs"]:
        for what, key in (("time", "time_s"), ("cost", "cost_usd")):
            for p in ("p10", "p90"):
                shown = values[f"{what}-{p}-{r['index']}"]
                assert float(shown[1]) == r["quantiles"][p][key], f"#{r['index']} {what} {p} differs"
                assert shown[0] in text
            assert r["quantiles"]["p10"][key] <= r["quantiles"]["p90"][key]
    return f"{len(s['runs'])} variants' P10-P90 as in sweep.json"


@test
def compare(ctx):
    """compare --out's report.html: each alternative's time and cost as the terminal table shows them and equal to
    compare.json's; fits, wall time and cost come before the rest."""
    args = ["compare", "scenarios/simclr-tpu-v3-128.lua", "scenarios/staged-provisioning.lua"]
    out, stdout = run_command(ctx, args, "compare")
    c = json.load(open(os.path.join(out, "compare.json")))
    text, values, shot, problems = render(ctx["chromium"], os.path.join(out, "report.html"), ctx["tmp"])
    assert not problems, "; ".join(problems)
    for label, key, value in (("wall time", "time", lambda a: a["total_time_s"]),
                              ("cost", "cost", lambda a: a["cost_usd"]["total"])):
        shown = re.split(r"\s{2,}", terminal_row(stdout, label))
        assert len(shown) == len(c["alternatives"]), f"the terminal's {label} row: {shown}"
        for i, a in enumerate(c["alternatives"]):
            check_value(values, text, f"headline-{key}-{i}", shown[i], value(a))
            assert float(values[f"{key}-{i}"][1]) == value(a), f"the table's {label} differs from compare.json"
            assert values[f"{key}-{i}"][0].startswith(shown[i]), f"the table shows {values[key + '-' + str(i)][0]}"
    rows = [line.split("\t")[0] for line in text.split("\n")]
    order = [rows.index(w) for w in ("fits (feasible)", "wall time", "cost", "The rest", "compute cost",
                                     "peak device memory")]
    assert order == sorted(order), "fits, time and cost do not come first"
    for d in c["differences"]:
        assert d["text"] in text, f"difference {d['text']!r} not in the page"
    colours = png_colours(shot)
    assert colours >= 8, f"the screenshot has {colours} colours: blank"
    save_shot("report-compare.png", shot)
    return f"{len(c['alternatives'])} alternatives as in compare.json and the terminal"


@test
def regenerate_sweep_compare(ctx):
    """`trainsim report DIR` rewrites a sweep's and a comparison's report.html byte for byte, from the directory or
    from its JSON file."""
    for name, marker in (("sweep", "sweep.json"), ("compare", "compare.json")):
        out = os.path.join(ctx["tmp"], name)
        before = open(os.path.join(out, "report.html"), "rb").read()
        for arg in (out, os.path.join(out, marker)):
            os.remove(os.path.join(out, "report.html"))
            p = subprocess.run([ctx["trainsim"], "report", arg], capture_output=True, text=True, timeout=60)
            assert p.returncode == 0, p.stderr
            assert open(os.path.join(out, "report.html"), "rb").read() == before, f"{name}: other bytes"
    return "byte-identical"


@test
def print_a4(ctx):
    """Every report prints on A4 (its @page rule, honoured with preferCSSPageSize; Chromium's default is Letter),
    without an exception."""
    pages = {}
    b = Browser(ctx["chromium"], os.path.join(ctx["tmp"], "profile-print"))
    try:
        b.open_page()
        for name in ("run", "sweep", "compare"):
            b.events.clear()
            b.call("Page.navigate", {"url": "file://" + os.path.join(ctx["tmp"], name, "report.html")})
            b.wait_event("Page.loadEventFired")
            pdf = base64.b64decode(b.call("Page.printToPDF", {"preferCSSPageSize": True})["data"])
            boxes = set(re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf))
            assert len(boxes) == 1, f"{name}: pages of several sizes {boxes}"
            w, h = (float(v) for v in boxes.pop().split()[2:4])
            assert abs(w - 595.3) < 1.5 and abs(h - 841.9) < 1.5, f"{name}: {w} x {h} pt, not A4 (595 x 842)"
            assert not [m for m in b.events if m.get("method") == "Runtime.exceptionThrown"], f"{name}: exception"
            pages[name] = len(re.findall(rb"/Type\s*/Page\b", pdf))
    finally:
        b.close()
    return ", ".join(f"{k} {v} A4 pages" for k, v in pages.items())


def main():
    trainsim, root = sys.argv[1], sys.argv[2]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("1..0 # SKIP chromium is not installed (apt-get install chromium; CI installs it)")
        return 0
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        ctx = {"trainsim": trainsim, "root": root, "chromium": chromium, "tmp": tmp}
        print(f"1..{len(tests)}")
        for i, fn in enumerate(tests, 1):
            try:
                note = fn(ctx)
                print(f"ok {i} /report/browser/{fn.__name__} # {note}")
            except Exception as e:  # a failed check or a browser that would not answer
                failed += 1
                print(f"not ok {i} /report/browser/{fn.__name__}")
                for line in str(e).splitlines() or [type(e).__name__]:
                    print("# " + line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
