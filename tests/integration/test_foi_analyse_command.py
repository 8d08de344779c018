"""`cradle foi analyse FILE.csv [--json]` against the 2019 CCG codes in the test database."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cradle.foi.responses_csv import HEADER
from cradle.geography.models import Area

DATA = Path(__file__).parents[1] / "data" / "foi"
EXAMPLE = DATA / "responses_example.csv"

pytestmark = pytest.mark.django_db

EXPECTED_KEYS = [
    "areas_with_acceptance_data", "areas_accepting_any", "pct_accepting_any",
    "areas_accepting_none", "pct_accepting_none", "accepting_areas_with_disaggregated_data",
    "disaggregated_source", "areas_with_referrals_under3", "areas_with_1_to_5_referrals_under3",
    "areas_with_no_referrals_under3", "areas_with_access_under3",
    "areas_with_1_to_5_access_under3", "areas_with_no_access_under3", "pct_no_access_under3",
    "areas_over_100_access_under3", "areas_with_full_data",
    "mean_referred_0_18_in_1_to_5_referral_areas", "per_area",
]


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("foi", "analyse", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_prints_exactly_the_contract_keys_with_the_figures():
    out, _ = run(str(EXAMPLE), "--json")
    result = json.loads(out)
    assert list(result) == EXPECTED_KEYS
    assert (result["areas_with_acceptance_data"], result["areas_accepting_any"],
            result["pct_accepting_any"], result["areas_accepting_none"],
            result["pct_accepting_none"]) == (9, 7, 78, 2, 22)
    assert result["disaggregated_source"] == {"ccg": 3, "trust": 3}
    assert result["pct_no_access_under3"] == 17
    assert result["areas_over_100_access_under3"] == ["07L", "08H", "14L"]
    assert result["mean_referred_0_18_in_1_to_5_referral_areas"] == 1290
    assert result["per_area"] == [
        {"area_code": "02N", "pct_referred_under3": 0.1, "pct_accessed_under3": 0.1},
        {"area_code": "02P", "pct_referred_under3": 0.0, "pct_accessed_under3": 0.0},
        {"area_code": "07L", "pct_referred_under3": 12.5, "pct_accessed_under3": 27.5},
        {"area_code": "14L", "pct_referred_under3": 7.5, "pct_accessed_under3": 3.4},
    ]


def test_the_example_uses_only_real_2019_ccg_codes():
    codes = {line.split(",")[2] for line in EXAMPLE.read_text().splitlines()[1:]}
    known = set(Area.objects.in_scheme("ccg2019").values_list("ods_code", flat=True))
    assert codes <= known


def test_flags_go_to_stderr_and_not_into_the_json():
    out, err = run(str(EXAMPLE), "--json")
    assert err.splitlines() == [
        "warning: row 10: children referred aged 2 and under (50 (referred_0_12m) + 60 "
        "(referred_12_24m) + 70 (referred_24_36m) = 180) is more than the total 0 "
        "(referred_0_18); check the row (it is still used)"]
    json.loads(out)


def test_without_json_a_readable_summary_is_printed():
    out, _ = run(str(EXAMPLE))
    assert "Rows read: 12, about 10 areas." in out
    assert "accepting referrals of any child aged 2 and under: 7 (78%)" in out
    assert "accepting none: 2 (22%)" in out
    assert "(from the CCG 3, from the trust 3)" in out
    assert "with no under-3s accessing the service: 1 (17%)" in out
    assert "with over 100 under-3s accessing the service: 07L, 08H, 14L" in out
    assert "14L: 7.5% of referrals, 3.4% of access were aged 2 and under" in out


def test_a_set_aside_answer_from_another_trust_is_noted_on_stderr(tmp_path):
    path = tmp_path / "two-trusts.csv"
    path.write_text("\n".join([
        ",".join(HEADER),
        "RA1,trust,02N,2019-01-01,yes,,,,,,,,,,,",
        "RB2,trust,02N,2019-02-01,no,,,,,,,,,,,",
    ]) + "\n")
    out, err = run(str(path), "--json")
    assert "note: area 02N: the trust answer from RA1 (received 2019-01-01) is set aside" in err
    assert json.loads(out)["areas_accepting_none"] == 1


def test_a_bad_file_is_a_command_error_naming_every_bad_row_and_column():
    with pytest.raises(CommandError) as caught:
        run(str(DATA / "responses_bad.csv"), "--json")
    message = str(caught.value)
    assert "the responses file has 10 problems:" in message
    for expected in [
        "row 3, column 'respondent_type': 'commissioner'",
        "row 4, column 'area_code': 'XYZ' is not a known 2019 CCG area code",
        "row 4, column 'received_on': '2019-02-30'",
        "row 4, column 'accepts_0_12m': 'Yes'",
        "row 4, column 'referred_0_12m': '-3' is not a whole number of 0 or more",
        "row 4, column 'referred_12_24m': 'ten'",
        "row 5: expected 16 columns, found 15",
        "row 6, column 'received_on': '18/01/2019'",
        "row 6, column 'accepts_12_24m': 'maybe'",
        "row 6, column 'accessed_24_36m': '1.5'",
    ]:
        assert expected in message


def test_a_code_from_a_later_scheme_is_not_a_2019_ccg_area(tmp_path):
    later = (Area.objects.exclude(scheme="ccg2019").exclude(ods_code="")
             .exclude(ods_code__in=Area.objects.in_scheme("ccg2019").values("ods_code"))
             .values_list("ods_code", flat=True).first())
    assert later
    path = tmp_path / "later.csv"
    path.write_text(f"{','.join(HEADER)}\nX1,ccg,{later},2019-01-01,yes,,,,,,,,,,,\n")
    with pytest.raises(CommandError, match=f"'{later}' is not a known 2019 CCG area code"):
        run(str(path))


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "nowhere.csv"))


def test_a_file_that_is_not_utf8_is_a_command_error(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(f"{','.join(HEADER)}\n".encode() + "02N,ccg,02N,2019-01-01,,,,,,,,,,,,café"
                     .encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run(str(path))


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    assert json.loads(run(str(path), "--json")[0]) == json.loads(run(str(EXAMPLE), "--json")[0])


def test_without_2019_areas_loaded_the_command_says_so(tmp_path):
    Area.objects.in_scheme("ccg2019").update(ods_code="")
    with pytest.raises(CommandError, match="No 2019 CCG areas in the database"):
        run(str(EXAMPLE))


def test_a_file_argument_is_required():
    with pytest.raises(CommandError):
        call_command("foi", "analyse", stdout=StringIO(), stderr=StringIO())


def test_deadline_still_works_beside_analyse():
    out = StringIO()
    call_command("foi", "deadline", "--received", "2024-03-27", "--regime", "foia", stdout=out)
    assert out.getvalue() == "2024-04-26\n"


def test_json_can_be_given_as_a_keyword():
    out = StringIO()
    call_command("foi", "analyse", str(EXAMPLE), json=True, stdout=out, stderr=StringIO())
    assert list(json.loads(out.getvalue())) == EXPECTED_KEYS
