"""One function per health-area scheme: its areas, boundaries, shares and populations."""

from collections import Counter, defaultdict
from fractions import Fraction

from cradle.geography.schemes import INFANT_AGES, POPULATION_YEARS

from . import apportion, geometry, membership, sources
from .builder import RENAMED_ICB_CODES, SLIVER_TOLERANCE, Area, Builder, Population
from .sources import CHILDREN

ENGLAND_WALES = ("England", "Wales")
# Areas split from local authorities by an official LSOA lookup.
LSOA_METHOD = "lsoa-apportioned"


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
    source = "each LSOA's authority from the April 2019 LSOA lookup, its area from the scheme's own"
    ccg21_lsoas = b.lsoa_lookups["ccg2021"]
    ccg21_touches = b.touches_from_lsoas(ccg21_lsoas)
    ccg21 = b.msoa_fractions_from_lsoas("ccg2021", ccg21_lsoas, ccg21_touches, ccg21_shapes)
    b.add_populations("ccg2021", b.shares_by_age(ccg21), ("England",), LSOA_METHOD,
                      ccg21_touches, source)
    subicb_lsoas = b.lsoa_lookups["subicb2022"]
    subicb_touches = b.touches_from_lsoas(subicb_lsoas)
    subicb = b.msoa_fractions_from_lsoas(
        "subicb2022", subicb_lsoas, subicb_touches,
        {a.code: a.shape for a in b.result.areas if a.scheme == "subicb2022"})
    subicb_shares = b.shares_by_age(subicb)
    b.add_populations("subicb2022", subicb_shares, ("England",), LSOA_METHOD, subicb_touches,
                      source)
    b.icb2023_touches = {la: {icb_of_subicb[a] for a in areas}
                         for la, areas in subicb_touches.items()}
    _add_icbs(b, icb_of_subicb, icb_ods, subicb_shares, sicbl_bng)
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
    b.add_populations("icb2023", merged, ("England",), LSOA_METHOD, b.icb2023_touches,
                      "unions of the sub-ICB locations' touches")


def add_ccg2019(b: Builder) -> None:
    """CCGs of April 2019, exactly from the ONS LSOA (2011) to CCG to LAD (April 2019) lookup.

    The OpenPrescribing boundaries are only drawn (and place the centroid of an MSOA whose
    LSOAs could not be tied to it, among the CCGs its own authority touches).
    """
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
    lookup = b.path("lsoa11_ccg19_lad19_lookup_en.csv")
    for row in b.ccg19_rows:
        listed = names.get(row["CCG19CD"], {})
        if listed.get("ccg19cdh") != row["CCG19CDH"]:
            raise sources.SourceError(lookup, f"CCG {row['CCG19CD']} ({row['CCG19CDH']}) is not "
                                      f"in the April 2019 list with that ODS code",
                                      column="CCG19CDH")
    lsoas = b.lsoa_lookups["ccg2019"]
    if set(lsoas.values()) != set(shapes):
        raise sources.SourceError(lookup, "does not name every April 2019 CCG")
    touches = b.touches_from_lsoas(lsoas)
    shares = b.shares_by_age(b.msoa_fractions_from_lsoas("ccg2019", lsoas, touches, shapes))
    whole = membership.whole_authorities(b.lsoa_la, lsoas)
    if apportion.areas_that_are_la_unions(shares["0-2"]) != whole:
        raise ValueError("ccg2019: the CCGs made of whole local authorities by the LSOA lookup "
                         "are not those whose shares are whole")
    b.result.checks.append(
        f"ccg2019: {len(whole)} of the 191 CCGs are made of whole local authorities by the ONS "
        f"LSOA lookup, and get those authorities' published estimates exactly")
    for gss, shape in sorted(shapes.items()):
        b.result.areas.append(Area("ccg2019", gss, names[gss]["name"], names[gss]["ccg19cdh"],
                                   shape=shape))
    b.result.successions.extend(lsoa_successions(
        "ccg2019", lsoas, "ccg2021", b.lsoa_lookups["ccg2021"],
        "ONS LSOA (2011) lookups of April 2019 and April 2021"))
    b.add_populations("ccg2019", shares, ("England",), LSOA_METHOD, touches,
                      "the LAD19 column of the same lookup")


def lsoa_successions(from_scheme, from_lsoas, to_scheme, to_lsoas, basis) -> list[dict]:
    """One row per earlier and later area sharing LSOAs, with the share of the earlier
    area's LSOAs; the boundary changed unless the two areas hold exactly the same LSOAs."""
    rows = []
    later_sizes = Counter(to_lsoas.values())
    for earlier, laters in sorted(membership.shares_of_lsoas(from_lsoas, to_lsoas).items()):
        size = sum(1 for area in from_lsoas.values() if area == earlier)
        for later, share in laters.items():
            same = share == 1 and later_sizes[later] == size
            rows.append({
                "from_scheme": from_scheme, "from_code": earlier,
                "to_scheme": to_scheme, "to_code": later,
                "boundary_changed": "false" if same else "true",
                "basis": f"{basis}: {float(100 * share):.1f}% of its LSOAs",
            })
    return rows


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
    touches = devolved_touches(b, "Wales")
    lhb = b.msoa_fractions_from_lsoas("lhb", b.lsoa_lookups["subicb2022"], touches, shapes,
                                      prefix="W11")
    b.add_populations("lhb", b.shares_by_age(lhb), ("Wales",), LSOA_METHOD, touches,
                      "the Welsh council to health board crosswalk")


def devolved_touches(b: Builder, nation: str) -> dict[str, set[str]]:
    """Each council's health board from the published crosswalk (la_to_devolved_health_body)."""
    pairs = [(row["lad_code"], row["body_code"]) for _line, row in sources.csv_rows(
        b.path("la_to_devolved_health_body.csv"), ("nation", "lad_code", "body_code"))
        if row["nation"] == nation]
    return membership.touching(pairs)


def add_by_overlay(b: Builder, scheme: str, file_name: str, code_property: str,
                   name_property: str, nation: str, touches=None, touch_source="") -> None:
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
    b.add_populations(scheme, by_age, (nation,), "area-apportioned", touches, touch_source)
