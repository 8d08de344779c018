"""Today's English areas: sub-ICB locations and ICBs of April 2024, and the ICBs of April 2026."""

from fractions import Fraction

from cradle.geography.lad2023 import april_2020_parts

from . import apportion, geometry, icb2026, membership, sources
from .builder import Area, Builder
from .health_areas import LSOA_METHOD, lsoa_successions

DERIVED_METHOD = "derived-union"


def _features(b: Builder, file_name: str, code_property: str) -> dict:
    path = b.path(file_name)
    return {sources.feature_property(path, f, i, code_property): geometry.to_shape(f["geometry"])
            for i, f in enumerate(sources.read_geojson_features(path))}


def add_2024(b: Builder) -> None:
    """The 106 sub-ICB locations and 42 ICBs of April 2024, from the ONS LSOA (2021) lookup."""
    names_path = b.path("sicbl24_names_codes.csv")
    subicbs = {row["sicbl24_code"]: row for _line, row in sources.csv_rows(names_path, (
        "sicbl24_code", "sicbl24_code_nhs", "sicbl24_name", "icb24_code"))}
    icbs = {row["icb24_code"]: row for _line, row in sources.csv_rows(
        b.path("icb24_names_codes.csv"), ("icb24_code", "icb24_code_nhs", "icb24_name"))}
    subicb_shapes = _features(b, "sicbl_2024_apr_en_bsc_from_lsoa21.geojson", "SICBL24CD")
    icb_shapes = _features(b, "icb_2024_apr_en_bsc_from_lsoa21.geojson", "ICB24CD")
    lsoas = b.lsoa_lookups["subicb2024"]
    if not set(subicbs) == set(subicb_shapes) == set(lsoas.values()):
        raise sources.SourceError(names_path, "sub-ICB codes differ between the list, the "
                                  "boundaries and the LSOA (2021) lookup")
    parent = {code: row["icb24_code"] for code, row in subicbs.items()}
    if not set(icbs) == set(icb_shapes) == set(parent.values()):
        raise sources.SourceError(b.path("icb24_names_codes.csv"),
                                  "ICB codes differ between the list, the boundaries and parents")
    for code, row in sorted(subicbs.items()):
        b.result.areas.append(Area("subicb2024", code, row["sicbl24_name"],
                                   row["sicbl24_code_nhs"], "icb2024", parent[code],
                                   shape=subicb_shapes[code]))
    for code, row in sorted(icbs.items()):
        b.result.areas.append(Area("icb2024", code, row["icb24_name"], row["icb24_code_nhs"],
                                   shape=icb_shapes[code]))
    touches = _touches_2024(b, lsoas)
    shares = b.shares_by_age(b.msoa_fractions_from_lsoas("subicb2024", lsoas, touches,
                                                         subicb_shapes))
    source = ("authorities from the April 2019 LSOA lookup where the LSOA kept its code, and "
              "from the LAD (2024) to sub-ICB lookup")
    b.add_populations("subicb2024", shares, ("England",), LSOA_METHOD, touches, source)
    icb_touches = {la: {parent[a] for a in areas} for la, areas in touches.items()}
    icb_shares = {key: apportion.merge_shares(by_la, parent) for key, by_la in shares.items()}
    b.add_populations("icb2024", icb_shares, ("England",), LSOA_METHOD, icb_touches, source)
    b.icb2024 = {"ods": {code: row["icb24_code_nhs"] for code, row in icbs.items()},
                 "shares": icb_shares, "touches": icb_touches, "shapes": icb_shapes}
    england_2022 = {lsoa: area for lsoa, area in b.lsoa_lookups["subicb2022"].items()
                    if area.startswith("E38")}
    b.result.successions.extend(lsoa_successions(
        "subicb2022", england_2022, "subicb2024", lsoas,
        "ONS LSOA lookups of July 2022 (2011 LSOAs) and April 2024 (2021 LSOAs), LSOAs whose "
        "code is in both"))


def _touches_2024(b: Builder, lsoas: dict[str, str]) -> dict[str, set[str]]:
    """Which sub-ICB locations each April 2020 authority touches: from the LSOAs that kept their
    2011 code, and from the LAD (2024) lookup for authorities unchanged since April 2020 (for
    authorities merged since, that lookup names only the merged authority)."""
    pairs = {(b.lsoa_la[lsoa], area) for lsoa, area in lsoas.items() if lsoa in b.lsoa_la}
    for _line, row in sources.csv_rows(b.path("lad24_to_sicbl24_icb24_by_lsoa21_count.csv"),
                                       ("ltla24_code", "sicbl24_code")):
        if april_2020_parts(row["ltla24_code"]) == (row["ltla24_code"],):
            pairs.add((row["ltla24_code"], row["sicbl24_code"]))
    return membership.touching(pairs)


def add_2026(b: Builder) -> None:
    """The 36 ICBs of April 2026, derived from the 2024 ICBs (see `icb2026`)."""
    path = b.path("icb_2026-04_ods_codes_short_names.csv")
    rows = {row["icb_ods_code"]: row for _line, row in sources.csv_rows(path, (
        "icb_ods_code", "icb_short_name", "code_unchanged_since_2024"))}
    gss_of_ods = {ods: gss for gss, ods in b.icb2024["ods"].items()}
    unchanged = {code for code, row in rows.items() if row["code_unchanged_since_2024"] == "1"}
    if unchanged - set(gss_of_ods) or set(rows) - unchanged != set(icb2026.NEW_ICBS):
        raise sources.SourceError(path, "codes differ from the 2024 ICBs and the known mergers")
    to_2026 = icb2026.destinations({code: code for code in unchanged})
    taken = {old for old, _la in to_2026}
    if taken != set(gss_of_ods):
        raise ValueError(f"2024 ICBs not placed in a 2026 ICB: {sorted(set(gss_of_ods) - taken)}")
    by_ods = {key: {la: {b.icb2024["ods"][icb]: share for icb, share in shares.items()}
                    for la, shares in by_la.items()}
              for key, by_la in b.icb2024["shares"].items()}
    shares = {key: icb2026.shares_2026(by_la, to_2026) for key, by_la in by_ods.items()}
    touches = icb2026.shares_2026(
        {la: {b.icb2024["ods"][icb]: Fraction(1) for icb in icbs}
         for la, icbs in b.icb2024["touches"].items()}, to_2026)
    _check_parts_cover_their_icbs(b, gss_of_ods)
    notes = _evidence_notes(b)
    for code, row in sorted(rows.items()):
        name = row["icb_short_name"]
        if code in unchanged:
            shape = b.icb2024["shapes"][gss_of_ods[code]]
            note = ("Same ODS code as the April 2024 ICB; its area is taken to be that ICB's (no "
                    "2026 boundary was found). Short name; the official full name and a GSS code "
                    "were not found, so the ODS code is the area code.")
            b.result.areas.append(Area("icb2026", code, name, code, note=note, shape=shape))
            continue
        b.result.areas.append(Area("icb2026", code, name, code, note=notes[code],
                                   shape=_shape_2026(b, code, gss_of_ods), derived=True))
    b.add_populations("icb2026", shares, ("England",), LSOA_METHOD,
                      {la: set(areas) for la, areas in touches.items()},
                      "the 2024 ICBs' touches, passed on as the 2026 ICBs took them")
    derived = set(rows) - unchanged
    for population in [*b.result.populations, *b.result.child_populations]:
        if population.scheme == "icb2026" and population.code in derived:
            population.method = DERIVED_METHOD
    for new, icb in icb2026.NEW_ICBS.items():
        for old in (*icb.whole, *icb.parts):
            b.result.successions.append({
                "from_scheme": "icb2024", "from_code": gss_of_ods[old],
                "to_scheme": "icb2026", "to_code": new, "boundary_changed": "true",
                "basis": "derived: the April 2026 code list" + (
                    f" (the {icb.parts[old][0]} part)" if old in icb.parts else ""),
            })
    for code in sorted(unchanged):
        b.result.successions.append({
            "from_scheme": "icb2024", "from_code": gss_of_ods[code], "to_scheme": "icb2026",
            "to_code": code, "boundary_changed": "",
            "basis": "the April 2026 code list: code unchanged since 2024"})


def _check_parts_cover_their_icbs(b: Builder, gss_of_ods: dict[str, str]) -> None:
    """Every authority a split 2024 ICB touches must be named in exactly one of its parts."""
    for old, parts in icb2026.split_icbs().items():
        gss = gss_of_ods[old]
        touched = {la for la, icbs in b.icb2024["touches"].items() if gss in icbs}
        named = [la for las in parts.values() for la in las]
        if sorted(named) != sorted(touched):
            raise ValueError(f"{old}: its parts name {sorted(named)}, but it touches "
                             f"{sorted(touched)}")
    b.result.checks.append(
        "icb2026: every authority of each 2024 ICB split in 2026 is in exactly one part")


def _evidence_notes(b: Builder) -> dict[str, str]:
    trusts = [(row["name"].title().replace("Nhs", "NHS").replace(" And ", " and "),
               april_2020_parts(row["lad23cd_of_postcode"])[0], row["icb_ods"])
              for _line, row in sources.csv_rows(b.path("nhs_trusts_open_ods_2026-07.csv"), (
                  "name", "icb_ods", "lad23cd_of_postcode"))]
    notes = {}
    for new, icb in icb2026.NEW_ICBS.items():
        text = [f"Derived: no official boundary, lookup or GSS code of the April 2026 ICBs was "
                f"found, so this area is assumed to be {icb.made_from} (from the April 2026 "
                f"code list); its population is the sum of those parts' figures. The ODS code "
                f"is the area code."]
        for old, (label, las) in icb.parts.items():
            parts = icb2026.split_icbs()[old]
            backing, contradictions = icb2026.trust_evidence(parts, trusts)
            if contradictions:
                raise ValueError(f"{new}: the ODS trust extract contradicts the split of {old}: "
                                 f"{contradictions}")
            place = {la: b.las[la].name for la in las}
            evidence = backing[new]
            in_evidence = sorted({place[la] for name, la, parent in trusts
                                  if la in place and parent == new})
            rest = sorted(set(place.values()) - set(in_evidence))
            text.append(
                f"The {label} part of the 2024 ICB {old} is taken by whole local authorities "
                f"({', '.join(sorted(place.values()))}). " + (
                    f"Evidence: the NHS trusts headquartered in {', '.join(in_evidence)} "
                    f"({', '.join(sorted(evidence))}) have this ICB as parent in the ODS extract "
                    f"of July 2026. " if evidence else
                    "No trust in the ODS extract of July 2026 is headquartered in this part, so "
                    "the split is not evidenced. ") + (
                    f"Not evidenced, assumed to go with the rest of the part: "
                    f"{', '.join(rest)}." if rest else ""))
        notes[new] = " ".join(text)
    return notes


def _shape_2026(b: Builder, new: str, gss_of_ods: dict[str, str]):
    """For drawing: the whole 2024 ICBs, and each part of a split one cut out of it along the
    part's local authorities (a piece not cut out goes to the part listed last)."""
    icb = icb2026.NEW_ICBS[new]
    pieces = [b.icb2024["shapes"][gss_of_ods[old]] for old in icb.whole]
    for old in icb.parts:
        whole = b.icb2024["shapes"][gss_of_ods[old]]
        destinations = list(icb2026.split_icbs()[old].items())
        cut = {dest: whole.intersection(geometry.dissolve(b.las[la].shape for la in las))
               for dest, las in destinations[:-1]}
        last = destinations[-1][0]
        cut[last] = whole.difference(geometry.dissolve(cut.values()))
        pieces.append(cut[new])
    return geometry.dissolve(pieces)
