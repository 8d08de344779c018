import datetime

import pytest

from cradle.directory.evidence_dates import (
    EvidenceDateError,
    confirms_on,
    months_before,
    parse_evidence_date,
)

D = datetime.date


@pytest.mark.parametrize(("text", "precision", "start", "end", "words"), [
    ("2025-11-17", "day", D(2025, 11, 17), D(2025, 11, 17), "17 November 2025"),
    ("2019-06", "month", D(2019, 6, 1), D(2019, 6, 30), "June 2019"),
    ("2024-02", "month", D(2024, 2, 1), D(2024, 2, 29), "February 2024"),
    ("2021-06 (closure announced 2021-04-29)", "month", D(2021, 6, 1), D(2021, 6, 30),
     "June 2021"),
    ("2024 (article on Nov 2024 expansion)", "year", D(2024, 1, 1), D(2024, 12, 31), "2024"),
    ("2020/21 (LGA case study, pandemic period)", "year", D(2020, 4, 1), D(2021, 3, 31),
     "2020/21"),
    ("c.2025 (job advert)", "year", D(2025, 1, 1), D(2025, 12, 31), "about 2025"),
    ("n.d.", "undated", None, None, "undated page"),
    # A date mentioned inside the note does not date an undated page.
    ("n.d. (NCFH case study, c.2024)", "undated", None, None, "undated page"),
])
def test_evidence_dates_keep_their_precision(text, precision, start, end, words):
    parsed = parse_evidence_date(text)
    assert (parsed.precision, parsed.start, parsed.end, parsed.words) == (
        precision, start, end, words)
    assert parsed.text == text


@pytest.mark.parametrize("text", ["", "soon", "2025-13", "2025-02-30", "2020/22", "June 2024"])
def test_anything_else_is_refused_not_guessed(text):
    with pytest.raises(EvidenceDateError):
        parse_evidence_date(text)


def test_months_before_keeps_the_day_or_the_months_last():
    assert months_before(D(2026, 12, 2), 24) == D(2024, 12, 2)
    assert months_before(D(2025, 3, 31), 1) == D(2025, 2, 28)
    assert months_before(D(2025, 1, 15), 13) == D(2023, 12, 15)


def test_evidence_confirms_only_wholly_inside_the_window():
    on = D(2026, 12, 2)
    assert confirms_on(D(2025, 11, 17), D(2025, 11, 17), on)
    assert confirms_on(D(2024, 12, 2), D(2024, 12, 2), on)
    assert not confirms_on(D(2024, 12, 1), D(2024, 12, 1), on)
    # A year that starts before the window does not confirm, though it ends inside it.
    assert not confirms_on(D(2024, 1, 1), D(2024, 12, 31), on)
    # Not yet known on the date asked.
    assert not confirms_on(D(2026, 12, 1), D(2026, 12, 31), on)
    assert not confirms_on(None, None, on)
    assert confirms_on(D(2024, 1, 1), D(2024, 12, 31), on, months=36)
