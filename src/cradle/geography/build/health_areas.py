"""One function per health-area scheme: its areas, boundaries, shares and populations."""

from collections import Counter, defaultdict
from fractions import Fraction

from cradle.geography.schemes import INFANT_AGES, POPULATION_YEARS

from . import apportion, geometry, sources
from .builder import RENAMED_ICB_CODES, SLIVER_TOLERANCE, Area, Builder, Population
from .sources import CHILDREN

ENGLAND_WALES = ("England", "Wales")


def add_local_authorities(b: Builder) -> None:
    """Local authorities with their published estimates; counties as unions of districts."""
    all_nations = ("England", "Wales", "Scotland", "Northern Ireland")
    districts_of = defaultdict(list)
    for code, area in sorted(b.las.items()):
        b.result.areas.append(area)
        if area.parent_code:
            districts_of[area.parent_code].append(code)
    for year in POPULATION_YEARS:
        for age in (*INFANT_AGES, CHILDREN):
            into = b.result.child_populations if age == CHILDREN else b.result.populations
            counts = b.la_counts(year, age, all_nations)
            for code in sorted(b.las):
                into.append(
                    Population("la", code, year, age, counts[code], b.la_method(code, year)))
            for code in sorted(b.counties):
                total = sum(counts[district] for district in districts_of[code])
                published = b.mye[year].get(code)
                if published is not None and published["ages"][age] != total:
                    raise ValueError(
                        f"county {code}: districts add up to {total} children aged {age} in "
                        f"mid-{year}, but the estimates publish {published['ages'][age]}")
                into.append(Population("county", code, year, age, total, "la-union"))
    b.result.areas.extend(b.counties[code] for code in sorted(b.counties))
    b.result.checks.append("every county equals the sum of its districts where published")


def add_ccg2021_and_subicb2022(b: Builder) -> dict[str, str]:
    """CCGs of April 2021, sub-ICB locations of July 2022, and the lookup between them."""
    lookup_path = b.path("ccg21_stp21_to_sicbl22_icb22_lookup.csv")
    columns = ("CCG21CD", "CCG21CDH", "CCG21NM", "LOC22CD", "LOC22CDH", "LOC22NM",
               "ICB22CD", "ICB22CDH", "ICB22NM", "boundaries_changed_ccg_loc")
    icb_of_subicb, icb_ods = {}, {}
    ccg21_shapes = {
        sources.feature_property(b.path("ccg_2021_apr_en_bsc.geojson"), f, i, "CCG21CD"):
            geometry.to_shape(f["geometry"])
        for i, f in enumerate(sources.read_geojson_features(b.path("ccg_2021_apr_en_bsc.geojson")))
    }
    sicbl_path = b.path("sicbl_2022_jul_en_buc_bng.geojson")
    sicbl_bng = {
        sources.feature_property(sicbl_path, f, i, "SICBL22CD"): geometry.to_shape(f["geometry"])
        for i, f in enumerate(sources.read_geojson_features(sicbl_path))
    }
    for line, row in sources.csv_rows(lookup_path, columns):
        icb = RENAMED_ICB_CODES.get(row["ICB22CD"], row["ICB22CD"])
        icb_of_subicb[row["LOC22CD"]] = icb
        icb_ods[icb] = row["ICB22CDH"]
        if row["CCG21CD"] not in ccg21_shapes or row["LOC22CD"] not in sicbl_bng:
            raise sources.SourceError(lookup_path, "code has no boundary", line, "CCG21CD")
        b.result.areas.append(Area("ccg2021", row["CCG21CD"], row["CCG21NM"], row["CCG21CDH"],
                                   shape=ccg21_shapes[row["CCG21CD"]]))
        b.result.areas.append(Area(
            "subicb2022", row["LOC22CD"], row["LOC22NM"], row["LOC22CDH"], "icb2023", icb,
            shape=geometry.reproject_bng_to_wgs84(sicbl_bng[row["LOC22CD"]])))
        b.result.successions.append({
            "from_scheme": "ccg2021", "from_code": row["CCG21CD"],
            "to_scheme": "subicb2022", "to_code": row["LOC22CD"],
            "boundary_changed": row["boundaries_changed_ccg_loc"].strip().lower(),
            "basis": "ONS CCG21 and LOC22 lookups, paired by samuel-book/geography_data",
        })
    ccg21 = b.msoa_fractions_from_lsoa_lookup(
        "lsoa11_ccg21_lad21_lookup_en.csv", "LSOA11NM", "CCG21CD", "E38", ccg21_shapes)
    b.add_populations("ccg2021", b.shares_by_age(ccg21), ("England",), "msoa-apportioned")
    subicb = b.msoa_fractions_from_lsoa_lookup(
        "lsoa11_sicbl22_lhb20_lookup_ew.csv", "lsoa", "region_code", "E38",
        {a.code: a.shape for a in b.result.areas if a.scheme == "subicb2022"})
    subicb_shares = b.shares_by_age(subicb)
    b.add_populations("subicb2022", subicb_shares, ("England",), "msoa-apportioned")
    _add_icbs(b, icb_of_subicb, icb_ods, subicb_shares, sicbl_bng)
    b.ccg21_fractions = ccg21
    return icb_of_subicb


def _add_icbs(b, icb_of_subicb, icb_ods, subicb_shares, sicbl_bng) -> None:
    names = sources.read_json(b.path("icb_2023_en_names_codes_postcodesio.json"))
    if set(names) != set(icb_of_subicb.values()):
        raise sources.SourceError(b.path("icb_2023_en_names_codes_postcodesio.json"),
                                  "ICB codes differ from the sub-ICB lookup")
    members = defaultdict(list)
    for subicb, icb in icb_of_subicb.items():
        members[icb].append(sicbl_bng[subicb])
    for code, name in sorted(names.items()):
        note = ""
        if code in RENAMED_ICB_CODES.values():
            note = ("Code reissued in April 2023 for a boundary change between Surrey Heartlands "
                    "and Sussex; boundary and population here are built from the July 2022 "
                    "sub-ICB locations, which predate that change.")
        b.result.areas.append(Area(
            "icb2023", code, name.strip(), icb_ods[code], note=note,
            shape=geometry.reproject_bng_to_wgs84(geometry.dissolve(members[code]))))
    merged = {key: apportion.merge_shares(shares, icb_of_subicb)
              for key, shares in subicb_shares.items()}
    b.add_populations("icb2023", merged, ("England",), "msoa-apportioned")


def add_ccg2019(b: Builder) -> None:
    """CCGs of April 2019: MSOA centroids placed in CCG boundaries, within their 2021 CCG."""
    names = sources.read_json(b.path("ccg_2019_uk_names_codes_postcodesio.json"))
    gss_by_ods = {v["ccg19cdh"]: k for k, v in names.items() if k.startswith("E38")}
    path = b.path("ccg_2019_20_boundaries_openprescribing.geojson")
    shapes = {}
    for index, feature in enumerate(sources.read_geojson_features(path)):
        ods = sources.feature_property(path, feature, index, "code")
        if ods not in gss_by_ods:
            raise sources.SourceError(path, f"CCG {ods} is not in the April 2019 list",
                                      column="code")
        shapes[gss_by_ods[ods]] = geometry.to_shape(feature["geometry"])
    if len(shapes) != len(gss_by_ods):
        raise sources.SourceError(path, "does not cover every April 2019 CCG")
    centroids = b.centroids
    locator = geometry.PointLocator(shapes)
    england = [m for m in b.msoa_pop if m.startswith("E02")]
    first_pass = {m: locator.locate(*centroids[m]) for m in england}
    ccg21_of_msoa = {m: max(f, key=f.__getitem__) for m, f in b.ccg21_fractions.items()}
    votes = defaultdict(Counter)
    for msoa, ccg19 in first_pass.items():
        votes[ccg19][ccg21_of_msoa[msoa]] += 1
    successor = {ccg19: counter.most_common(1)[0][0] for ccg19, counter in votes.items()}
    children = defaultdict(set)
    for ccg19, ccg21 in successor.items():
        children[ccg21].add(ccg19)
    # Where a 2021 CCG is one 2019 CCG unchanged, its official LSOA-based fractions stand;
    # only inside merged CCGs does the centroid decide between the 2019 predecessors.
    fractions: dict[str, dict[str, Fraction]] = {}
    for msoa in england:
        fractions[msoa] = defaultdict(Fraction)
        for ccg21, fraction in b.ccg21_fractions[msoa].items():
            candidates = children[ccg21]
            ccg19 = next(iter(candidates)) if len(candidates) == 1 else locator.locate(
                *centroids[msoa], among=candidates)
            fractions[msoa][ccg19] += fraction
    for gss, shape in sorted(shapes.items()):
        b.result.areas.append(Area("ccg2019", gss, names[gss]["name"], names[gss]["ccg19cdh"],
                                   shape=shape))
        b.result.successions.append({
            "from_scheme": "ccg2019", "from_code": gss,
            "to_scheme": "ccg2021", "to_code": successor[gss], "boundary_changed": "",
            "basis": "derived: majority of the CCG's MSOA centroids",
        })
    b.add_populations("ccg2019", b.shares_by_age(fractions), ("England",), "msoa-apportioned")


def add_lhbs(b: Builder) -> None:
    names = sources.read_json(b.path("ccg_2019_uk_names_codes_postcodesio.json"))
    path = b.path("lhb_2020_wa_bng.geojson")
    shapes = {}
    for index, feature in enumerate(sources.read_geojson_features(path)):
        code = sources.feature_property(path, feature, index, "LHB20CD")
        shapes[code] = geometry.reproject_bng_to_wgs84(geometry.to_shape(feature["geometry"]))
        b.result.areas.append(Area(
            "lhb", code, sources.feature_property(path, feature, index, "LHB20NM"),
            names.get(code, {}).get("ccg19cdh", ""), shape=shapes[code]))
    lhb = b.msoa_fractions_from_lsoa_lookup(
        "lsoa11_sicbl22_lhb20_lookup_ew.csv", "lsoa", "region_code", "W11", shapes)
    b.add_populations("lhb", b.shares_by_age(lhb), ("Wales",), "msoa-apportioned")


def add_by_overlay(b: Builder, scheme: str, file_name: str, code_property: str,
                   name_property: str, nation: str) -> None:
    """Areas built from whole local authorities by overlaying their boundaries.

    Slivers under 5% are generalisation noise and are dropped; larger overlaps are split
    by land area, which is only an approximation of where people live.
    """
    path = b.path(file_name)
    shapes = {}
    for index, feature in enumerate(sources.read_geojson_features(path)):
        code = sources.feature_property(path, feature, index, code_property)
        shapes[code] = geometry.to_shape(feature["geometry"])
        b.result.areas.append(Area(scheme, code, sources.feature_property(
            path, feature, index, name_property), shape=shapes[code]))
    shares = {}
    for la, area in b.las.items():
        if area.nation == nation:
            overlap = geometry.overlap_fractions(area.shape, shapes)
            shares[la] = apportion.snap_small_shares(
                {code: Fraction(share).limit_denominator(10_000)
                 for code, share in overlap.items()}, SLIVER_TOLERANCE)
    by_age = dict.fromkeys((0, 1, 2, "0-2", CHILDREN), shares)
    b.add_populations(scheme, by_age, (nation,), "area-apportioned")
