"""Reading today's FOI bodies from the source files: plain tables, no database."""

import datetime
import shutil
from pathlib import Path

import pytest

from cradle.foi.todays_bodies import (
    BodiesSourceError,
    postal_address,
    read_todays_bodies,
    tidy_name,
)

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "foi_bodies"


@pytest.mark.parametrize(("ods", "tidy"), [
    ("MANCHESTER UNIVERSITY NHS FOUNDATION TRUST", "Manchester University NHS Foundation Trust"),
    ("ALDER HEY CHILDREN'S NHS FOUNDATION TRUST", "Alder Hey Children's NHS Foundation Trust"),
    ("NHS GREATER MANCHESTER ICB - 00T", "NHS Greater Manchester ICB - 00T"),
    ("THE ROYAL LONDON HOSPITAL", "The Royal London Hospital"),
    ("ST. LEONARDS-ON-SEA", "St. Leonards-On-Sea"),
    ("4TH FLOOR, EAST WING", "4th Floor, East Wing"),
    ("NEWCASTLE UPON TYNE", "Newcastle upon Tyne"),
])
def test_tidy_name(ods, tidy):
    assert tidy_name(ods) == tidy


def test_postal_address_skips_empty_lines():
    row = {"address_line_1": "BETHLEM ROYAL HOSPITAL", "address_line_2": "MONKS ORCHARD ROAD",
           "address_line_3": "", "address_line_4": "BECKENHAM", "address_line_5": "",
           "postcode": "br3 3bx"}
    assert postal_address(row) == "Bethlem Royal Hospital\nMonks Orchard Road\nBeckenham\nBR3 3BX"


def _by_code(bodies):
    return {(b.body_type, b.code): b for b in bodies}


def test_fixture_bodies_types_dates_and_areas():
    read = read_todays_bodies(FIXTURES)
    bodies = _by_code(read.bodies)
    # ICBs: unchanged in 2026 (one body, both areas), abolished (ends 31 March 2026), new.
    qyg = bodies[("icb", "QYG")]
    assert (qyg.in_force_from, qyg.in_force_to) == (datetime.date(2024, 4, 1), None)
    assert qyg.areas == (("icb2024", "E54000008"), ("icb2026", "QYG"))
    assert bodies[("icb", "QMJ")].in_force_to == datetime.date(2026, 3, 31)
    new = bodies[("icb", "Z9B2Z")]
    assert (new.in_force_from, new.areas) == (datetime.date(2026, 4, 1), (("icb2026", "Z9B2Z"),))
    # Sub-ICB locations: rows whose roles include RO319, with their postal address.
    assert {code for kind, code in bodies if kind == "sub_icb_location"} == {"00L", "93C"}
    assert bodies[("sub_icb_location", "00L")].postal_address.endswith("NE61 6BL")
    # Trusts: default areas are the parent ICB of 2026; Welsh trusts have none.
    assert bodies[("nhs_trust", "RV5")].areas == (("icb2026", "QKK"),)
    assert bodies[("nhs_trust", "RYT")].areas == ()
    assert bodies[("nhs_trust", "RV5")].in_force_from == datetime.date(1999, 4, 1)
    # Devolved: an LHB by ODS code, a Scottish board by GSS code, an NI trust by DoH code.
    assert bodies[("local_health_board", "7A6")].code_system == "ods"
    assert bodies[("health_board", "S08000030")].code_system == "gss"
    ni = bodies[("hsc_trust", "BHSCT")]
    assert (ni.code_system, ni.areas) == ("doh_ni", (("nitrust", "BHSCT"),))
    assert len(read.bodies) == 13


def test_wdtk_names_and_an_ambiguous_code():
    read = read_todays_bodies(FIXTURES)
    bodies = _by_code(read.bodies)
    assert bodies[("nhs_trust", "RBS")].wdtk_url_name == "alder_hey_childrens_nhs_foundation_trust"
    assert bodies[("nhs_trust", "RV5")].wdtk_url_name == ""
    assert read.warnings == [
        "wdtk_nhs_request_links_2024-11.csv, row 3, field 'id': RAE points at more than one "
        "WhatDoTheyKnow body; no route offered for it"]


def _copy_with(tmp_path, file, old, new):
    for source in FIXTURES.iterdir():
        shutil.copy(source, tmp_path / source.name)
    path = tmp_path / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("nhs_trusts_open_ods_2026-07.csv", ",QKK,BETHLEM", ",QXX,BETHLEM",
     "nhs_trusts_open_ods_2026-07.csv, row 4, field 'icb_ods': 'QXX' is not an ICB of April "
     "2026 in icb_2026-04_ods_codes_short_names.csv"),
    ("nhs_trusts_open_ods_2026-07.csv", "19990401", "1999-04-01",
     "nhs_trusts_open_ods_2026-07.csv, row 4, field 'open_date': '1999-04-01' is not a date "
     "written YYYYMMDD"),
    ("icb_2026-04_ods_codes_short_names.csv", "Z9B2Z,West and North London,London,0",
     "Z9B2Z,West and North London,London,yes",
     "icb_2026-04_ods_codes_short_names.csv, row 3, field 'code_unchanged_since_2024': 'yes' "
     "is not 0 or 1"),
    ("devolved_health_bodies_codes.csv", "Wales,local_health_board", "Wales,health_board",
     "devolved_health_bodies_codes.csv, row 2, field 'nation': 'Wales': a health_board is in "
     "Scotland"),
    ("ods_eccg_open_2025.csv", "00L,NHS", "0 L,NHS",
     "ods_eccg_open_2025.csv, row 2, field 'org_code': '0 L' is not a code (3 to 10 capital "
     "letters and digits)"),
])
def test_a_bad_row_is_named_by_file_row_and_field(tmp_path, file, old, new, message):
    with pytest.raises(BodiesSourceError) as refused:
        read_todays_bodies(_copy_with(tmp_path, file, old, new))
    assert refused.value.errors[0] == message


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(BodiesSourceError) as refused:
        read_todays_bodies(tmp_path)
    assert f"icb24_names_codes.csv: cannot read {tmp_path / 'icb24_names_codes.csv'}" in \
        refused.value.errors
