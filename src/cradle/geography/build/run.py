"""Entry point for `cradle data build`."""

from pathlib import Path

from . import health_areas, outputs
from .builder import Builder


def build(source_dir: Path, output_dir: Path) -> dict:
    builder = Builder(source_dir)
    builder.load_local_authorities()
    builder.load_msoas()
    health_areas.add_local_authorities(builder)
    health_areas.add_ccg2021_and_subicb2022(builder)
    health_areas.add_ccg2019(builder)
    health_areas.add_lhbs(builder)
    health_areas.add_by_overlay(builder, "hb", "scotland_health_boards_2019.geojson",
                                "HBCode", "HBName", "Scotland")
    health_areas.add_by_overlay(builder, "nitrust", "ni_hsc_trusts_simplified.geojson",
                                "TrustCode", "TrustName", "Northern Ireland")
    return outputs.write(builder.result, source_dir, output_dir)
