"""Assemble areas, boundaries, area/local-authority overlaps and infant populations."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from cradle.geography.schemes import INFANT_AGES, POPULATION_YEARS, nation_for_area, nation_for_code

from . import apportion, geometry, membership, sources
from .sources import CHILDREN
from .topojson import object_features

# Topology codes replaced by the ONS in February 2019 (minor boundary change); the
# population files already use the new codes.
RENAMED_LA_CODES = {"S12000044": "S12000050", "S12000046": "S12000049"}
# ICB codes reissued in April 2023 (Surrey Heartlands / Sussex boundary change).
RENAMED_ICB_CODES = {"E54000052": "E54000063", "E54000053": "E54000064"}
# The April 2019 districts that became Buckinghamshire in April 2020 (the 2019 LSOA lookup
# names them; the population estimates Cradle counts on name Buckinghamshire).
BUCKINGHAMSHIRE_2020 = dict.fromkeys(("E07000004", "E07000005", "E07000006", "E07000007"), "E06000060")
SLIVER_TOLERANCE = Fraction(5, 100)
LA_VINTAGE_YEAR = 2020
LA_GEOGRAPHIES = {
    "Unitary Authority", "Non-metropolitan District", "Metropolitan District",
    "London Borough", "Council Area", "Local Government District",
}


@dataclass
class Area:
    scheme: str
    code: str
    name: str
    ods_code: str = ""
    parent_scheme: str = ""
    parent_code: str = ""
    note: str = ""
    shape: Any = None
    derived: bool = False

    @property
    def nation(self) -> str:
        return nation_for_area(self.scheme, self.code)


@dataclass
class Population:
    scheme: str
    code: str
    year: int
    age: int | str
    count: int
    method: str


@dataclass
class BuildResult:
    areas: list[Area] = field(default_factory=list)
    populations: list[Population] = field(default_factory=list)
    # Children aged 0-17, the denominator for shares of referrals (kept apart from ages 0-2).
    child_populations: list[Population] = field(default_factory=list)
    overlaps: list[tuple[str, str, str, Fraction]] = field(default_factory=list)
    successions: list[dict[str, str]] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)


def _valid_in(properties: dict[str, Any], year: int) -> bool:
    start, end = properties.get("start"), properties.get("end")
    return (start is None or start <= year) and (end is None or end >= year)


class Builder:
    def __init__(self, source_dir: Path):
        self.src = source_dir
        self.result = BuildResult()
        self._la_counts: dict[tuple[int, int], dict[str, int]] = {}

    def path(self, name: str) -> Path:
        path = self.src / name
        if not path.exists():
            raise sources.SourceError(path, "source file not found")
        return path

    # -- local authorities -------------------------------------------------------------
    def load_local_authorities(self) -> None:
        self.mye = {
            2019: sources.read_la_population(
                self.path("population_la_uk_syoa_mid2019.csv"), "utf-8-sig"),
            2020: sources.read_la_population(
                self.path("population_la_uk_syoa_mid2020.csv"), "cp1252"),
        }
        topology = sources.read_json(self.path("uk_local_authorities_2014_2025.topojson"))
        las, counties = {}, {}
        self.every_la_shape = {}
        for feature in object_features(topology, "ltla"):
            props = feature["properties"]
            self.every_la_shape[props["areacd"]] = geometry.to_shape(feature["geometry"])
            if _valid_in(props, LA_VINTAGE_YEAR):
                code = RENAMED_LA_CODES.get(props["areacd"], props["areacd"])
                las[code] = Area("la", code, props["areanm"],
                                 shape=geometry.to_shape(feature["geometry"]))
        for feature in object_features(topology, "cty"):
            props = feature["properties"]
            if _valid_in(props, LA_VINTAGE_YEAR):
                counties[props["areacd"]] = Area("county", props["areacd"], props["areanm"],
                                                 shape=geometry.to_shape(feature["geometry"]))
        mye_las = {c for c, r in self.mye[2019].items() if r["geography"] in LA_GEOGRAPHIES}
        if set(las) != mye_las:
            raise sources.SourceError(
                self.path("uk_local_authorities_2014_2025.topojson"),
                f"local authorities differ from the mid-2019 estimates: "
                f"{sorted(set(las) ^ mye_las)}")
        locate_county = geometry.PointLocator({c: a.shape for c, a in counties.items()})
        for code, area in las.items():
            if code.startswith("E07"):
                point = area.shape.representative_point()
                area.parent_scheme, area.parent_code = "county", locate_county.locate(
                    point.x, point.y)
        self.las, self.counties = las, counties

    def load_msoas(self) -> None:
        self.msoa_lookup = sources.read_msoa_lookup(
            self.path("msoa_2011_2021_la_lookup_drkane.csv"))
        self.msoa_pop = sources.read_msoa_population(
            self.path("population_msoa11_ew_syoa_mid2020.csv"))
        self.centroids = sources.read_msoa_centroids(
            self.path("msoa_2011_2021_centroids_drkane.csv"))
        unknown = sorted(set(self.msoa_pop) - set(self.msoa_lookup))
        if unknown:
            raise sources.SourceError(self.path("population_msoa11_ew_syoa_mid2020.csv"),
                                      f"MSOAs missing from the MSOA lookup: {unknown[:5]}")
        self.msoa_by_name = {row["name"]: code for code, row in self.msoa_lookup.items()}
        self.msoa_la = {code: row["lad20"] for code, row in self.msoa_lookup.items()}
        # The lookup gives post-2021 authorities for Northamptonshire; place those MSOAs in the
        # April 2020 districts (which they nest in) by their centroids.
        # Each MSOA is placed only among the old districts lying inside its newer authority,
        # which also guards against the few centroids in the source that are misplaced.
        orphan_las = {c for c in self.las if c[0] in "EW"} - set(self.msoa_la.values())
        locator = geometry.PointLocator({c: self.las[c].shape for c in orphan_las})
        districts_within: dict[str, set[str]] = {}
        for msoa, la in self.msoa_la.items():
            if la in self.las:
                continue
            if la not in districts_within:
                newer = self.every_la_shape[la]
                districts_within[la] = {
                    c for c in orphan_las if newer.contains(self.las[c].shape.representative_point())}
            self.msoa_la[msoa] = locator.locate(*self.centroids[msoa], among=districts_within[la])
        self.centroid_placed_las = orphan_las

    def _check_centroid_placement(self) -> None:
        """Compare centroid-placed MSOA sums with published district totals, where published."""
        sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for msoa, ages in self.msoa_pop.items():
            if self.msoa_la[msoa] in self.centroid_placed_las:
                for age in INFANT_AGES:
                    sums[self.msoa_la[msoa]][age] += ages[age]
        published = [la for la in self.centroid_placed_las if la in self.mye[2020]]
        matching = [la for la in published
                    if [self.mye[2020][la]["ages"][a] for a in INFANT_AGES] == sums[la]]
        self.result.checks.append(
            f"{len(self.centroid_placed_las)} April-2020 districts are missing from the MSOA "
            f"lookup's newer codes, so their MSOAs were placed in the district of their LSOAs "
            f"in the April 2019 LSOA lookup (by centroid where none could be tied); for "
            f"{len(matching)} of the {len(published)} with a published mid-2020 estimate the "
            f"placed MSOAs add up to it exactly")

    def la_counts(self, year: int, age: int, nations: tuple[str, ...]) -> dict[str, int]:
        """Infant counts per April-2020 local authority.

        Mid-2020 estimates were published on April-2021 codes; the seven Northamptonshire
        districts merged in 2021 are rebuilt exactly from their MSOAs.
        """
        key = (year, age)
        if key not in self._la_counts:
            counts = {}
            for code in self.las:
                row = self.mye[year].get(code)
                counts[code] = row["ages"][age] if row is not None else sum(
                    ages[age] for msoa, ages in self.msoa_pop.items()
                    if self.msoa_la[msoa] == code)
            self._la_counts[key] = counts
        return {
            code: count for code, count in self._la_counts[key].items()
            if nation_for_code(code) in nations
        }

    def la_method(self, code: str, year: int) -> str:
        return "ons-la-estimate" if code in self.mye[year] else "msoa-centroid-sum"

    # -- small-area membership ------------------------------------------------------------
    def load_lsoas(self) -> None:
        """Tie every LSOA of the lookups to its 2011 MSOA, and each English 2011 LSOA to its
        April 2020 local authority (from the LAD19 column of the April 2019 lookup)."""
        self.lsoa_la: dict[str, str] = {}
        self.ccg19_of_lsoa: dict[str, str] = {}
        names: list[tuple[str, str]] = []
        names_2021: list[tuple[str, str]] = []
        path = self.path("lsoa11_ccg19_lad19_lookup_en.csv")
        self.ccg19_rows = []
        for line, row in sources.read_lsoa_rows(path, (
                "LSOA11CD", "LSOA11NM", "CCG19CD", "CCG19CDH", "CCG19NM", "LAD19CD")):
            la = BUCKINGHAMSHIRE_2020.get(row["LAD19CD"], row["LAD19CD"])
            if la not in self.las:
                raise sources.SourceError(path, f"{la} is not an April 2020 local authority",
                                          line, "LAD19CD")
            if row["LSOA11CD"] in self.lsoa_la:
                raise sources.SourceError(path, "LSOA appears twice", line, "LSOA11CD")
            self.lsoa_la[row["LSOA11CD"]] = la
            self.ccg19_of_lsoa[row["LSOA11CD"]] = row["CCG19CD"]
            self.ccg19_rows.append(row)
            names.append((row["LSOA11CD"], row["LSOA11NM"]))
        self.lsoa_lookups = {
            "ccg2021": self._lsoa_areas("lsoa11_ccg21_lad21_lookup_en.csv", "LSOA11CD",
                                        "LSOA11NM", "CCG21CD", names),
            "subicb2022": self._lsoa_areas("lsoa11_sicbl22_lhb20_lookup_ew.csv", "lsoa_code",
                                           "lsoa", "region_code", names),
            "subicb2024": self._lsoa_areas("lsoa21_sicbl24_icb24_lookup_en.csv", "lsoa21_code",
                                           "lsoa21_name", "sicbl24_code", names_2021),
            "ccg2019": dict(self.ccg19_of_lsoa),
        }
        msoa21 = sources.read_msoa21_names(self.path("msoa_2011_2021_la_lookup_drkane.csv"))
        self.msoa_of_lsoa = membership.msoa_of_lsoa(names, names_2021, self.msoa_by_name, msoa21)
        matched = sum(1 for code in self.lsoa_la if code in self.msoa_of_lsoa)
        self._place_msoas_by_their_lsoas(path)
        self._check_centroid_placement()
        self.result.checks.append(
            f"{matched} of the {len(self.lsoa_la)} English 2011 LSOAs are tied to their MSOA by "
            f"name (2011 names, or the 2021 name of an LSOA that kept its code)")

    def _place_msoas_by_their_lsoas(self, path: Path) -> None:
        """Put the MSOAs placed by centroid in the district their LSOAs lie in (MSOAs nest in
        districts, and the April 2019 lookup names every LSOA's district)."""
        districts: dict[str, Counter] = defaultdict(Counter)
        for lsoa, msoa in self.msoa_of_lsoa.items():
            if lsoa in self.lsoa_la:
                districts[msoa][self.lsoa_la[lsoa]] += 1
        for msoa, found in districts.items():
            if len(found) > 1:
                raise sources.SourceError(path, f"MSOA {msoa} has LSOAs in {sorted(found)}")
            (district,) = found
            if district != self.msoa_la[msoa]:
                if self.msoa_la[msoa] not in self.centroid_placed_las:
                    raise sources.SourceError(path, f"MSOA {msoa} of {self.msoa_la[msoa]} has "
                                              f"LSOAs in {district}")
                self.msoa_la[msoa] = district

    def _lsoa_areas(self, file_name, code_column, name_column, area_column, names) -> dict:
        areas = {}
        for _line, row in sources.read_lsoa_rows(
                self.path(file_name), (code_column, name_column, area_column)):
            areas[row[code_column]] = row[area_column]
            names.append((row[code_column], row[name_column]))
        return areas

    def touches_from_lsoas(self, lsoa_areas: dict[str, str]) -> dict[str, set[str]]:
        """{April 2020 local authority: areas} for the English LSOAs whose authority is known."""
        return membership.touching(
            (self.lsoa_la[lsoa], area) for lsoa, area in lsoa_areas.items() if lsoa in self.lsoa_la)

    def msoa_fractions_from_lsoas(
        self, scheme: str, lsoa_areas: dict[str, str], touches: dict[str, set[str]],
        shapes: dict[str, Any], prefix: str = "E38",
    ) -> dict[str, dict[str, Fraction]]:
        """Fraction of each MSOA in each area, from the share of its LSOAs the lookup puts there.

        An MSOA none of whose LSOAs could be tied to it (a few renamed after local-government
        mergers) goes to the one area its authority touches, or, where its authority is split,
        to the area among those its authority touches that holds its centroid.
        """
        lsoa_areas = {lsoa: area for lsoa, area in lsoa_areas.items() if area.startswith(prefix)}
        unknown = sorted(set(lsoa_areas.values()) - set(shapes))
        if unknown:
            raise ValueError(f"{scheme}: areas {unknown[:5]} have no boundary")
        fractions = membership.msoa_fractions(lsoa_areas, self.msoa_of_lsoa)
        country = {"E38": "E02", "W11": "W02"}[prefix]
        orphans = [m for m in self.msoa_pop if m.startswith(country) and m not in fractions]
        by_centroid = 0
        for msoa in orphans:
            candidates = touches.get(self.msoa_la[msoa], set())
            if not candidates:
                raise ValueError(f"{scheme}: MSOA {msoa} lies in {self.msoa_la[msoa]}, which "
                                 f"the lookup puts in no area")
            if len(candidates) > 1:
                by_centroid += 1
                locator = geometry.PointLocator({a: shapes[a] for a in candidates})
                fractions[msoa] = {locator.locate(*self.centroids[msoa]): Fraction(1)}
            else:
                fractions[msoa] = {next(iter(candidates)): Fraction(1)}
        self.result.checks.append(
            f"{scheme}: every MSOA placed by the share of its LSOAs in the official lookup, "
            f"except {len(orphans)} whose LSOAs could not be tied to it by name: "
            f"{len(orphans) - by_centroid} lie in an authority wholly in one area, "
            f"{by_centroid} were placed by centroid among the areas their authority touches")
        return fractions

    def shares_by_age(
        self, msoa_fractions: dict[str, dict[str, Fraction]]
    ) -> dict[int | str, dict[str, dict[str, Fraction]]]:
        msoas = [m for m in self.msoa_pop if m in msoa_fractions]
        shares: dict[int | str, dict[str, dict[str, Fraction]]] = {}
        for age in (*INFANT_AGES, CHILDREN):
            shares[age] = apportion.shares_from_small_areas(
                {m: self.msoa_pop[m][age] for m in msoas}, self.msoa_la, msoa_fractions)
        shares["0-2"] = apportion.shares_from_small_areas(
            {m: sum(self.msoa_pop[m][age] for age in INFANT_AGES) for m in msoas},
            self.msoa_la, msoa_fractions)
        for age in (*INFANT_AGES, CHILDREN):
            # An LA with no babies of one age in any MSOA falls back to its 0-2 shares.
            for la, la_shares in shares["0-2"].items():
                shares[age].setdefault(la, la_shares)
        return shares

    def add_populations(
        self, scheme: str, shares: dict[int | str, dict[str, dict[str, Fraction]]],
        nations: tuple[str, ...], approximate_method: str,
        touches: dict[str, set[str]] | None = None, touch_source: str = "",
    ) -> None:
        """Populations and overlaps of a scheme's areas from each authority's shares.

        `touches` (from an independent source, named by `touch_source`) is which areas each
        authority touches: no area may hold babies of an authority it does not touch.
        """
        if touches is not None:
            outside = [pair for age_shares in shares.values()
                       for pair in membership.shares_outside_touch(age_shares, touches)]
            if outside:
                raise ValueError(f"{scheme}: areas hold babies of local authorities they do not "
                                 f"touch: {sorted(set(outside))[:10]}")
            self.result.checks.append(
                f"{scheme}: no area holds babies of a local authority it does not touch "
                f"({touch_source})")
        unions = apportion.areas_that_are_la_unions(shares["0-2"])
        for year in POPULATION_YEARS:
            for age in INFANT_AGES:
                counts = apportion.apportion_to_areas(
                    self.la_counts(year, age, nations), shares[age])
                for code, count in sorted(counts.items()):
                    method = "la-union" if code in unions else approximate_method
                    self.result.populations.append(
                        Population(scheme, code, year, age, count, method))
            counts = apportion.apportion_to_areas(
                self.la_counts(year, CHILDREN, nations), shares[CHILDREN])
            for code, count in sorted(counts.items()):
                method = "la-union" if code in unions else approximate_method
                self.result.child_populations.append(
                    Population(scheme, code, year, CHILDREN, count, method))
        for la, la_shares in sorted(shares["0-2"].items()):
            for code, share in sorted(la_shares.items()):
                self.result.overlaps.append((scheme, code, la, share))
