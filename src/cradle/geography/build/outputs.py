"""Write a build's results as the shipped data files, with a manifest and PROVENANCE.md."""

import csv
import hashlib
import io
import json
from collections import defaultdict
from pathlib import Path

from cradle.geography.schemes import NATIONS, SCHEMES, SCHEMES_BY_KEY

from . import geometry, provenance
from .builder import BuildResult

DATASET = "cradle-reference-geography"


def check(result: BuildResult) -> list[str]:
    """Refuse to ship data whose counts or totals are not what the sources say."""
    counts = defaultdict(int)
    for area in result.areas:
        counts[area.scheme] += 1
    for scheme in SCHEMES:
        if counts[scheme.key] != scheme.expected_count:
            raise ValueError(
                f"{scheme.key}: built {counts[scheme.key]} areas, expected {scheme.expected_count}")
    totals = defaultdict(int)
    for row in [*result.populations, *result.child_populations]:
        nation = next(a.nation for a in _areas_by_key(result)[(row.scheme, row.code)])
        totals[(row.scheme, nation, row.year, row.age)] += row.count
    checks = []
    for scheme in SCHEMES:
        if scheme.key in ("la", "county"):
            continue
        for nation in scheme.nations:
            for (s, n, year, age), total in totals.items():
                if s == scheme.key and n == nation:
                    la_total = totals[("la", nation, year, age)]
                    if total != la_total:
                        raise ValueError(f"{scheme.key} {nation} mid-{year} age {age}: {total} "
                                         f"babies, but local authorities hold {la_total}")
            checks.append(f"{scheme.key}: totals per nation, year and age (0, 1, 2 and 0-17) "
                          f"equal the "
                          f"local-authority totals for {', '.join(scheme.nations)}")
    return checks


_cache: dict[int, dict] = {}


def _areas_by_key(result: BuildResult) -> dict:
    if id(result) not in _cache:
        index = defaultdict(list)
        for area in result.areas:
            index[(area.scheme, area.code)].append(area)
        _cache[id(result)] = index
    return _cache[id(result)]


def _csv_text(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def render(result: BuildResult) -> dict[str, str]:
    files = {
        "areas.csv": _csv_text(
            ["scheme", "code", "ods_code", "name", "nation", "parent_scheme", "parent_code",
             "derived", "note"],
            [[a.scheme, a.code, a.ods_code, a.name, a.nation, a.parent_scheme, a.parent_code,
              "true" if a.derived else "", a.note] for a in sorted(result.areas, key=lambda a: (a.scheme, a.code))]),
        "population.csv": _csv_text(
            ["scheme", "code", "year", "age", "count", "method"],
            [[p.scheme, p.code, p.year, p.age, p.count, p.method] for p in sorted(
                result.populations, key=lambda p: (p.scheme, p.code, p.year, p.age))]),
        "population_0_17.csv": _csv_text(
            ["scheme", "code", "year", "count", "method"],
            [[p.scheme, p.code, p.year, p.count, p.method] for p in sorted(
                result.child_populations, key=lambda p: (p.scheme, p.code, p.year))]),
        "la_overlaps.csv": _csv_text(
            ["scheme", "area_code", "la_code", "share_0_2"],
            [[s, area, la, f"{float(share):.6f}"] for s, area, la, share in sorted(
                result.overlaps)]),
        "successions.csv": _csv_text(
            ["from_scheme", "from_code", "to_scheme", "to_code", "boundary_changed", "basis"],
            [[r[k] for k in ("from_scheme", "from_code", "to_scheme", "to_code",
                             "boundary_changed", "basis")]
             for r in sorted(result.successions, key=lambda r: (r["from_scheme"], r["from_code"]))]),
    }
    for scheme in SCHEMES:
        features = [
            {"type": "Feature", "properties": {"code": a.code, "name": a.name},
             "geometry": geometry.for_web(a.shape)}
            for a in sorted(result.areas, key=lambda a: a.code) if a.scheme == scheme.key
        ]
        files[f"boundaries/{scheme.key}.geojson"] = json.dumps(
            {"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    return files


def write(result: BuildResult, source_dir: Path, output_dir: Path) -> dict:
    checks = check(result) + result.checks
    files = render(result)
    manifest = {
        "dataset": DATASET,
        "files": {
            name: {"sha256": hashlib.sha256(text.encode()).hexdigest(),
                   "rows": text.count("\n") - 1 if name.endswith(".csv")
                   else len(json.loads(text)["features"])}
            for name, text in sorted(files.items())
        },
        "sources": {
            name: {"title": title, "reference_date": ref, "licence": licence,
                   "sha256": hashlib.sha256((source_dir / name).read_bytes()).hexdigest()}
            for name, (title, ref, licence) in provenance.SOURCES.items()
        },
        "methods": {key: {"exact": kind == "exact", "description": text}
                    for key, (kind, text) in provenance.METHODS.items()},
        "checks": checks,
    }
    files["manifest.json"] = json.dumps(manifest, indent=1, ensure_ascii=False) + "\n"
    files["PROVENANCE.md"] = render_provenance(manifest)
    (output_dir / "boundaries").mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (output_dir / name).write_text(text, encoding="utf-8")
    return manifest


def render_provenance(manifest: dict) -> str:
    lines = [
        "# Provenance of Cradle's reference geography",
        "",
        "Generated by `cradle data build` from the public files described in "
        "`../shared/data/PROVENANCE.md`; do not edit by hand. Every source is Crown copyright "
        "official statistics or geography under the Open Government Licence v3.0; the "
        "attributions each licence asks for are listed with its source.",
        "",
        "## Shipped files",
    ]
    for name, spec in provenance.OUTPUTS.items():
        lines += ["", f"### `{name}`", "", spec["what"], "", "Built from:"]
        for source in spec["sources"]:
            info = manifest["sources"][source]
            lines.append(f"- `{source}`: {info['title']}; reference date "
                         f"{info['reference_date']}; licence: {info['licence']}.")
    lines += ["", "## Population methods", "",
              "Each area and year records how its figure was made:", ""]
    for key, info in manifest["methods"].items():
        kind = "exact" if info["exact"] else "approximated"
        lines.append(f"- `{key}` ({kind}): {info['description']}")
    lines += ["", "## Schemes", ""]
    for scheme in SCHEMES:
        lines.append(f"- `{scheme.key}`: {scheme.label}, {scheme.expected_count} areas "
                     f"({', '.join(scheme.nations)}); vintage {scheme.vintage}; in force "
                     f"{scheme.in_force_label}.")
    lines += ["", "## Checks passed at build time", ""]
    lines += [f"- {text}" for text in manifest["checks"]]
    lines += ["", f"Nations: {', '.join(NATIONS)}. Scheme keys: "
              f"{', '.join(SCHEMES_BY_KEY)}.", ""]
    return "\n".join(lines)
