from pathlib import Path

import pytest

from cradle.geography.build.run import build
from cradle.geography.reference_files import DATA_DIR

SOURCE_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def test_shipped_data_stays_under_15_mb():
    size = sum(path.stat().st_size for path in DATA_DIR.rglob("*") if path.is_file())
    assert size < 15 * 1024 * 1024


@pytest.mark.skipif(not SOURCE_DIR.is_dir(), reason="needs the source files in ../shared/data")
def test_shipped_data_is_exactly_what_the_build_makes(tmp_path):
    build(SOURCE_DIR, tmp_path)
    shipped = sorted(p.relative_to(DATA_DIR) for p in DATA_DIR.rglob("*") if p.is_file())
    built = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert shipped == built
    stale = [str(name) for name in shipped
             if (DATA_DIR / name).read_bytes() != (tmp_path / name).read_bytes()]
    assert not stale, f"run `cradle data build`: {stale} differ from a fresh build"
