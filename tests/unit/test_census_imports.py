"""The census answers import's pure check (cradle.census.imports) with plain data tables: each
cell by the answer form's rules, every refusal named by row and column, the file refused whole."""

from __future__ import annotations

import datetime

import pytest

from cradle.census.fields import FIELDS_BY_KEY
from cradle.census.imports import (
    COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    CellError,
    RoundServices,
    cell_for,
    cell_value,
    check_rows,
    column_guide,
    read_answers,
)
from cradle.core.spreadsheets import csv_bytes, neutralise, xlsx_bytes
from cradle.outcomes.bulk.problems import FileProblems

LEEDS, BRADFORD, SHEFFIELD = 1, 2, 3
KNOWN_AREAS = {"la:E08000035", "la:E08000032", "icb2023:E54000054"}
ROUND = RoundServices(
    services={"t15": LEEDS, "t16": BRADFORD, "42": SHEFFIELD},
    answered={SHEFFIELD: "this service already has an answer in this round, sent from its "
                         "link on 3 March 2027 and waiting for review: remove its row"},
    known_areas=lambda keys: keys & KNOWN_AREAS)
HEADER = ["service", "service_name", "respondent_role", "status", "contact_phone",
          "staffing.clinical_psychologist", "coverage", "interventions"]


def problems_of(rows, round_services=ROUND) -> list[str]:
    with pytest.raises(FileProblems) as raised:
        check_rows(rows, round_services)
    return [str(problem) for problem in raised.value.problems]


def test_a_good_file_gives_one_answer_a_row_with_only_the_cells_filled_in():
    answers = check_rows([
        HEADER,
        ["T15", "Leeds IMHS", "team_manager", "Operating", "0113 496 0000", "1.5",
         "la:E08000035 Leeds; icb2023:E54000054", "VIG; Parent-Infant Psychotherapy"],
        ["t16", "", "Clinical lead", "paused", "", "none", "", ""],
    ], ROUND)
    leeds, bradford = answers
    assert (leeds.row, leeds.service_id, leeds.respondent_role) == (2, LEEDS, "team_manager")
    assert leeds.values == {
        "status": "operating", "contact_phone": "0113 496 0000",
        "staffing.clinical_psychologist": "1.50",
        "coverage": ["icb2023:E54000054", "la:E08000035"],
        "interventions": ["parent_infant_psychotherapy", "vig"]}
    assert leeds.sections == ("status", "coverage", "staffing", "interventions", "contact")
    # A blank cell keeps the register's value; "none" for a WTE says there is nobody.
    assert bradford.values == {"status": "paused", "staffing.clinical_psychologist": None}
    assert (bradford.respondent_role, bradford.sections) == ("clinical_lead",
                                                            ("status", "staffing"))


@pytest.mark.parametrize("key, cell, value", [
    ("status", "CLOSED", "closed"),
    ("accepts_from", "From birth", "birth"),
    ("accepts_to_months", "24", 24),
    ("accepts_to_months", 24.0, 24),  # a workbook's number
    ("staffing.midwife", 0.6, "0.60"),
    ("staffing.midwife", "2", "2.00"),
    ("staffing.midwife", "None", None),
    ("professional_referral", "Yes", True),
    ("self_referral", False, False),
    ("self_referral", "not known", None),
    ("funding", "none", []),
    ("coverage", "NONE", []),
    ("coverage", "la:E08000035\nla:E08000032 Bradford", ["la:E08000032", "la:E08000035"]),
    ("website", "imhs.example.org", "https://imhs.example.org"),
    ("contact_email", "team@example.org", "team@example.org"),
    ("contact_phone", neutralise("+44 113 496 0000"), "+44 113 496 0000"),  # from a template
    ("criterion.dyad_or_triad_focus", "no", False),
])
def test_each_cell_is_read_as_the_answer_form_holds_it(key, cell, value):
    assert cell_value(FIELDS_BY_KEY[key], cell) == value


@pytest.mark.parametrize("key, cell, words", [
    ("status", "open", "is not one of the choices: write one of operating, paused"),
    ("accepts_from", "toddlers", "write one of conception, birth, later"),
    ("accepts_to_months", "217", "whole number of months from 0 to 216"),
    ("accepts_to_months", "two", "whole number of months"),
    ("accepts_to_months", "-1", "whole number of months"),
    ("staffing.midwife", "0", "from 0.01 to 999"),
    ("staffing.midwife", "1000", "from 0.01 to 999"),
    ("staffing.midwife", "1.255", "at most two decimals"),
    ("staffing.midwife", "lots", "such as 0.5 or 1.2, or none"),
    ("staffing.midwife", "NaN", "from 0.01 to 999"),
    ("professional_referral", "maybe", "write yes, no or not known"),
    ("interventions", "vig; dancing", "'dancing' is not one of the choices"),
    ("coverage", "Leeds", "'Leeds' is not an area code"),
    ("contact_email", "not an address", "is not an email address"),
    ("website", "https://", "is not a web address"),
    ("contact_phone", "0" * 41, "longer than 40 characters"),
    ("referral_pathway", "x" * 1001, "longer than 1000 characters"),
    ("status", datetime.date(2027, 1, 1), "is a date"),
])
def test_a_cell_the_form_would_refuse_says_what_to_write(key, cell, words):
    with pytest.raises(CellError) as raised:
        cell_value(FIELDS_BY_KEY[key], cell)
    assert words in str(raised.value)


def test_every_bad_cell_is_named_by_row_and_column_and_the_file_is_refused_whole():
    found = problems_of([
        HEADER,
        ["T15", "", "team_manager", "operating", "", "1.5", "", ""],  # good
        ["T16", "", "team_manager", "open", "", "lots", "la:E99999999", "dancing"],
    ])
    assert found == [
        "Row 3, column status: 'open' is not one of the choices: write one of operating, "
        "paused, closed, planned",
        "Row 3, column staffing.clinical_psychologist: write a whole-time equivalent such as "
        "0.5 or 1.2, or none",
        "Row 3, column interventions: 'dancing' is not one of the choices: write one of "
        + ", ".join(key for key, _ in FIELDS_BY_KEY["interventions"].choices),
        # Area codes are looked up once for the whole file, after every row is read.
        "Row 3, column coverage: not an area code Cradle knows: la:E99999999 (use the codes "
        "as shown, such as la:E08000035)",
    ]


@pytest.mark.parametrize("rows, expected", [
    ([["service", "respondent_role", "status", "colour"], ["T15", "team_manager", "operating",
                                                           "red"]],
     ["Row 1, column colour: unknown column: the headings are service, respondent_role and "
      "the census fields' names (download the template)"]),
    ([["respondent_role", "status"], ["team_manager", "operating"]],
     ["Row 1: the file has no service column"]),
    ([["service", "status"], ["T15", "operating"]],
     ["Row 1: the file has no respondent_role column"]),
    ([["service", "respondent_role", "service_name"], ["T15", "team_manager", "Leeds"]],
     ["Row 1: no column is one of the census's fields"]),
    ([["service", "respondent_role", "status", "status"], ["T15", "team_manager", "x", "y"]],
     ["Row 1, column status: the column appears twice"]),
    ([["service", "respondent_role", "", "status"], ["T15", "team_manager", "", "operating"]],
     ["Row 1: column 3 has no heading: give it a census field's name, or delete it"]),
])
def test_a_bad_header_is_refused_before_any_row(rows, expected):
    assert problems_of(rows) == expected


@pytest.mark.parametrize("row, expected", [
    (["", "team_manager", "operating"],
     "Row 2, column service: say which service: its register reference (such as T15), as in "
     "the template"),
    (["T99", "team_manager", "operating"],
     "Row 2, column service: 'T99' is not a service this round asks: use the references in "
     "the round's template"),
    (["42", "team_manager", "operating"],
     "Row 2, column service: this service already has an answer in this round, sent from its "
     "link on 3 March 2027 and waiting for review: remove its row"),
    (["T15", "", "operating"],
     "Row 2, column respondent_role: say the respondent's role: one of team_manager, "
     "clinical_lead, administrator, commissioner, other"),
    (["T15", "boss", "operating"],
     "Row 2, column respondent_role: 'boss' is not a role: write one of team_manager, "
     "clinical_lead, administrator, commissioner, other"),
    (["T15", "team_manager", ""],
     "Row 2: answers none of the census's fields: fill in at least one (not known says "
     "nothing)"),
    (["T15", "team_manager", "operating", "surplus"],
     "Row 2: has more cells than there are headings"),
])
def test_each_refused_row_says_why(row, expected):
    assert problems_of([["service", "respondent_role", "status"], row]) == [expected]


def test_a_row_of_only_not_known_answers_nothing():
    assert problems_of([["service", "respondent_role", "self_referral"],
                        ["T15", "team_manager", "not known"]]) == [
        "Row 2: answers none of the census's fields: fill in at least one (not known says "
        "nothing)"]


def test_the_same_service_twice_is_refused_naming_the_first_row():
    found = problems_of([["service", "respondent_role", "status"],
                         ["T15", "team_manager", "operating"],
                         ["t15", "team_manager", "paused"]])
    assert found == ["Row 3, column service: the same service as row 2: give each service "
                     "one row"]


def test_a_header_alone_and_an_empty_file_are_refused():
    assert problems_of([["service", "respondent_role", "status"], ["", "", ""]]) == [
        "The file has a header but no answers"]
    with pytest.raises(FileProblems) as raised:
        read_answers("answers.csv", b"\r\n\r\n", ROUND)
    assert str(raised.value.problems[0]).startswith("The file is empty")


def test_size_type_and_row_limits():
    def refusal(name, data):
        with pytest.raises(FileProblems) as raised:
            read_answers(name, data, ROUND)
        return str(raised.value.problems[0]).lower()

    assert "larger than 2 mb" in refusal("a.csv", b"x" * (MAX_BYTES + 1))
    assert "upload a csv file" in refusal("a.ods", b"service")
    assert "not utf-8" in refusal("a.csv", "service,status\nT15,é".encode("latin-1"))
    assert "nul characters" in refusal("a.csv", b"service\x00")
    many = "service,respondent_role,status\n" + "T15,team_manager,operating\n" * (MAX_ROWS + 1)
    assert f"more than {MAX_ROWS:,} answers" in refusal("a.csv", many.encode())
    assert "not an excel workbook" in refusal("a.xlsx", b"PK not really a zip")


def test_a_csv_and_a_workbook_of_the_same_table_read_the_same():
    header = ["service", "respondent_role", "accepts_to_months", "staffing.midwife",
              "self_referral"]
    rows = [["T15", "team_manager", 24, 0.6, "yes"]]
    from_csv = read_answers("a.csv", csv_bytes(header, rows), ROUND)
    from_xlsx = read_answers("a.xlsx", xlsx_bytes(header, rows, title="answers"), ROUND)
    assert from_csv == from_xlsx
    assert from_csv[0].values == {"accepts_to_months": 24, "staffing.midwife": "0.60",
                                  "self_referral": True}


def test_a_template_row_reads_back_as_the_values_it_was_made_from():
    register = {"status": "operating", "coverage": ["la:E08000035"], "interventions": [],
                "staffing.midwife": None, "staffing.clinical_psychologist": "1.20",
                "professional_referral": True, "self_referral": None, "contact_phone": "",
                "accepts_to_months": 24}
    cells = {key: cell_for(FIELDS_BY_KEY[key], value) for key, value in register.items()}
    header = ["service", "respondent_role", *cells]
    (answer,) = check_rows([header, ["T15", "other", *cells.values()]], ROUND)
    expected = {key: value for key, value in register.items()
                if value not in (None, "") or key.startswith("staffing.")}
    expected.pop("staffing.midwife")  # blank: kept as the register holds it (none)
    assert answer.values == expected


def test_the_guide_names_every_column():
    assert [heading for heading, _, _ in column_guide()] == list(COLUMNS)
