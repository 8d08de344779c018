"""Entry point for `cradle data build`."""

from pathlib import Path

from . import health_areas, outputs, today
from .builder import Builder


def build(source_dir: Path, output_dir: Path) -> dict:
    builder = Builder(source_dir)
    builder.load_local_authorities()
    builder.load_msoas()
    builder.load_lsoas()
    health_areas.add_local_authorities(builder)
    health_areas.add_ccg2021_and_subicb2022(builder)
    health_areas.add_ccg2019(builder)
    today.add_2024(builder)
    today.add_2026(builder)
    health_areas.add_lhbs(builder)
    health_areas.add_by_overlay(builder, "hb", "scotland_health_boards_2019.geojson",
                                "HBCode", "HBName", "Scotland",
                                health_areas.devolved_touches(builder, "Scotland"),
                                "the Scottish council to health board crosswalk")
    health_areas.add_by_overlay(builder, "nitrust", "ni_hsc_trusts_simplified.geojson",
                                "TrustCode", "TrustName", "Northern Ireland")
    # The NI council-to-trust crosswalk puts each 2015 council in one trust, but the trusts
    # follow the 26 councils before 2015 (Castlereagh, Down, Limavady...), so councils
    # straddle trusts; there a trust touches a council where their boundaries overlap.
    builder.result.checks.append(
        "nitrust: a trust holds babies only of councils whose boundaries overlap it by at "
        "least 5% of the council's land area")
    return outputs.write(builder.result, source_dir, output_dir)
