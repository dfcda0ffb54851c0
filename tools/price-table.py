#!/usr/bin/env python3
"""The price table of docs/devices.md ("Prices") from the catalogs as trainsim reads them (`trainsim devices
--json`), so that the document never shows a price, term, region or date the catalogs do not hold.

    python3 tools/price-table.py            # print the table
    python3 tools/price-table.py --write    # replace the table in docs/devices.md
    python3 tools/price-table.py --check    # exit 1 if the document's table differs

One row per machine that has a price: what a device-, chip- or instance-hour costs on demand, on spot and under a
1- and a 3-year commitment ("-" where the catalog has none: the run's cost is then null), each with its region,
and the date and kind of the sources (provider page or API, a third-party copy of one, or unverified). The kind
comes from the catalog's own source entries (plugins/*/*.json): "verified": false marks what was not seen in a
stored copy; a title that says "copy" or "copied" marks a third-party copy of the provider's prices.

Python 3 standard library only.
"""

import json
import os
import subprocess
import sys

import doc_tables

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "devices.md")
HEADER = "| machine | catalog | unit | on-demand | spot | 1-year committed | 3-year committed | region | price date | source |"
TERMS = ("price_on_demand", "price_spot", "price_committed_1y", "price_committed_3y")


def sources_by_url():
    """Each catalog's sources by URL (the JSON output names a source by its URL): key, verified, third-party."""
    out = {}
    for plugin in sorted(os.listdir(os.path.join(ROOT, "plugins"))):
        path = os.path.join(ROOT, "plugins", plugin, plugin + ".json")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            cat = json.load(f)
        for key, s in cat["sources"].items():
            title = s["title"].lower()
            out[(plugin, s["url"], s["date"])] = (key, s.get("verified", True), "copy" in title or "copied" in title)
    return out


def table(trainsim):
    p = subprocess.run([trainsim, "devices", "--json"], capture_output=True, text=True, check=False)
    if p.returncode != 0:
        sys.exit("price-table: trainsim devices --json failed: %s" % p.stderr)
    srcs = sources_by_url()
    rows = [HEADER, "|---|---|---|---|---|---|---|---|---|---|"]
    for cat in json.loads(p.stdout)["catalogs"]:
        plugin = cat["plugin"]
        for kind, name_key in (("devices", "sku"), ("instances", "name")):
            for rec in cat[kind]:
                fields = rec["fields"]
                prices = [fields.get(t) for t in TERMS]
                if not any(prices):
                    continue
                unit = next(f["text"].split("/", 1)[1] for f in prices if f)
                regions, dates, cited = [], [], []
                cells = []
                for f in prices:
                    if f is None:
                        cells.append("–")
                        continue
                    cells.append(f["text"].split(" ", 1)[0])
                    if f["region"] not in regions:
                        regions.append(f["region"])
                    if f["date"] not in dates:
                        dates.append(f["date"])
                    key, verified, copy = srcs[(plugin, f["source"], f["date"])]
                    label = "`%s`%s" % (key, " (unverified)" if not verified else " (third-party copy)" if copy else "")
                    if label not in cited:
                        cited.append(label)
                rows.append("| %s | %s | USD/%s | %s | %s | %s | %s |" % (
                    rec[name_key], plugin, unit, " | ".join(cells), ", ".join(regions), ", ".join(dates),
                    ", ".join(cited)))
    return rows


def main():
    args = doc_tables.parser(__doc__).parse_args()
    rows = table(args.trainsim)
    if not (args.write or args.check):
        print("\n".join(rows))
        return 0
    return doc_tables.update(DOC, [rows], args.check, "docs/devices.md: the price table differs from the catalogs; "
                             "run python3 tools/price-table.py --write")


if __name__ == "__main__":
    sys.exit(main())
