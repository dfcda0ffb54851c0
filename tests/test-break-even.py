#!/usr/bin/env python3
"""/break-even/dgx-station-vs-aws: the shipped buy-vs-rent scenario (scenarios/dgx-station-vs-aws.lua, the seed's
question) prints a break-even that this test recomputes by hand from the catalog's own numbers, as TAP.

From plugins/gpu/gpu.json: the DGX Station's purchase price and power, the p3.16xlarge's on-demand price per
instance-hour; from the scenario: its electricity price and life (4 years, the `life_years` default); from the
run's summary only the hours each machine was held (the model's forecast, which is not recomputed here).  Then
owning costs price / life a year; one run costs the station power x electricity x its hours beside that, and
the p3.16xlarge its price x its hours; owning is cheaper from F / (c - m) runs a year, that many times the
station's hours of use.  The terminal summary must print the same figures, and `trainsim compare` of the station
with the p3.16xlarge the same break-even.

Usage: test-break-even.py TRAINSIM SOURCE_ROOT
"""

import json
import os
import re
import subprocess
import sys
import tempfile

YEAR_H = 365.25 * 24


def quantity(text, units):
    value, unit = re.fullmatch(r"\s*([\d.]+)\s*(\S+)\s*", text).groups()
    return float(value) * units[unit]


def record(catalog, name):
    return next(i for i in catalog["instances"] if i["name"] == name)


def main():
    trainsim, root = sys.argv[1], sys.argv[2]
    checks = []
    catalog = json.load(open(os.path.join(root, "plugins", "gpu", "gpu.json")))
    station, p3 = record(catalog, "DGX Station"), record(catalog, "p3.16xlarge")
    price = quantity(station["purchase_price"]["value"], {"USD": 1})
    kw = quantity(station["power"]["value"], {"W": 1e-3, "kW": 1})
    assert p3["price_on_demand"]["value"].endswith("USD/instance-hour")
    rent_h = float(p3["price_on_demand"]["value"].split()[0])
    script = open(os.path.join(root, "scenarios", "dgx-station-vs-aws.lua")).read()
    usd_kwh = float(re.search(r'electricity\s*=\s*"([\d.]+) USD/kWh"', script).group(1))
    life = float(re.search(r'param\("life_years",\s*([\d.]+)\)', script).group(1))

    path = os.path.join(root, "scenarios", "dgx-station-vs-aws.lua")
    out = subprocess.run([trainsim, "run", path, "--json"], check=True, capture_output=True, text=True).stdout
    s = json.loads(out)
    held_h = s["ownership"]["hours_this_run"]
    rented_h = s["break_even"]["against_time_s"] / 3600  # provisioned at 0, released at the end
    # Nothing but the machines costs anything in this scenario: no bucket, no egress price.
    checks.append(("nothing but the machines is billed", s["cost_usd"]["storage"] is None and s["cost_usd"]["network"] is None
                   and s["cost_usd"]["host"] == 0))
    fixed = price / life
    marginal = kw * usd_kwh * held_h
    rented = rent_h * rented_h
    runs = fixed / (rented - marginal)
    hours = runs * held_h
    be = s["break_even"]

    def close(a, b, rel=1e-9):
        return abs(a - b) <= rel * abs(b)

    checks.append(("the rented alternative is the p3.16xlarge on demand", "p3.16xlarge" in be["against"]
                   and "on-demand" in be["against"]))
    checks.append(("the rented run's cost is its hours x %.2f USD/instance-hour" % rent_h,
                   close(be["against_cost_usd"], rented)))
    checks.append(("the station's own costs are its power x electricity", close(be["owned_marginal_usd"], marginal)))
    checks.append(("the fixed cost is %.0f USD / %.0f years" % (price, life), close(be["fixed_usd_per_year"], fixed)))
    checks.append(("runs_per_year = F / (c - m) = %.4f" % runs, close(be["runs_per_year"], runs)))
    checks.append(("hours_per_year = runs x the station's hours = %.2f" % hours, close(be["hours_per_year"], hours)))
    checks.append(("the break-even is a number a year holds", 0 < hours < YEAR_H))
    # The station's cost of this run: price / (life x utilisation) an hour used, plus power.
    u = s["parameters"]["utilisation"]
    rate = price / (life * YEAR_H * u) + kw * usd_kwh
    checks.append(("the run costs price / (life x utilisation) + power per hour held", close(s["cost_usd"]["compute"], rate * held_h)))

    text = subprocess.run([trainsim, "run", path], check=True, capture_output=True, text=True).stdout
    line = "owning is cheaper from %.1f runs a year (%.0f hours of use" % (runs, hours)
    checks.append(("the terminal prints '%s'" % line, line in text))

    # report.html carries the same numbers (data-value: the exact double) in its 'Owning or renting' section.
    with tempfile.TemporaryDirectory() as out_dir:
        subprocess.run([trainsim, "run", path, "--out", out_dir, "--quiet"], check=True, capture_output=True)
        html = open(os.path.join(out_dir, "report.html")).read()
    values = dict(re.findall(r'id="(break-even-(?:runs|hours))" data-value="([^"]+)"', html))
    checks.append(("report.html: the break-even's runs and hours equal summary.json's",
                   len(values) == 2 and float(values["break-even-runs"]) == be["runs_per_year"]
                   and float(values["break-even-hours"]) == be["hours_per_year"]))

    # A compare of the station with the p3.16xlarge says the same (the command in the scenario's header).
    cmd = re.search(r"^--   trainsim (compare .*)$", script, re.M).group(1).split()
    cmp = json.loads(subprocess.run([trainsim] + [os.path.join(root, w) if w.endswith(".lua") else w for w in cmd]
                                    + ["--json"], check=True, capture_output=True, text=True).stdout)
    pairs = cmp["break_even"]
    checks.append(("compare: one owned alternative against one rented", len(pairs) == 1
                   and pairs[0]["owned"].endswith("where=station") and pairs[0]["against"].endswith("where=aws")))
    checks.append(("compare: the same runs_per_year as the scenario's break_even",
                   len(pairs) == 1 and close(pairs[0]["runs_per_year"], be["runs_per_year"], 1e-12)))

    print("1..%d" % len(checks))
    failed = 0
    for i, (name, ok) in enumerate(checks, 1):
        print("%s %d /break-even/dgx-station-vs-aws: %s" % ("ok" if ok else "not ok", i, name))
        failed += not ok
    if failed:
        print("# summary.json break_even: %s" % json.dumps(be))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
