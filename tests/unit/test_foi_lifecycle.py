"""The FOI lifecycle's pure rules (cradle.foi.lifecycle): the internal review clock, the
regulator of each law, the 5-working-day chaser interval and dates in order.

Every expected date was counted by hand; the comment under each case shows the count (day N =
the Nth working day after the body received the request for review, X = not a working day).
FOIA counts a bank holiday in any part of the UK (s.10(6)), FOISA only Scotland's (s.73).
"""

from datetime import date

import pytest

from cradle.foi.deadlines import Regime
from cradle.foi.lifecycle import (
    FOIA_BASIS,
    FOISA_BASIS,
    Regulator,
    chased_recently,
    complaint_date_problems,
    regulator_for,
    review_clock,
    review_date_problems,
    review_is_overdue,
)

FOIA, FOISA = Regime.FOIA, Regime.FOISA
D = date


@pytest.mark.parametrize(("received", "regime", "due", "complex_due"), [
    # --- Just before Christmas 2026: Fri 25 Dec, Mon 28 Dec (Boxing Day substitute), Fri 1 Jan,
    # Mon 4 Jan 2027 (Scotland's 2 January substitute) -----------------------------------------
    (D(2026, 12, 21), FOIA, D(2027, 1, 22), D(2027, 2, 19)),
    # Mon 21 received. 22-24 = 1-3; 25, 28 X; 29-31 = 4-6; 1 Jan X; 4 Jan X (Scotland's, and
    # FOIA counts any part of the UK); 5-8 = 7-10; 11-15 = 11-15; 18-22 = 16-20 -> Fri 22 Jan.
    # 40: 25-29 = 21-25; 1-5 Feb = 26-30; 8-12 = 31-35; 15-19 = 36-40 -> Fri 19 Feb.
    (D(2026, 12, 21), FOISA, D(2027, 1, 22), None),
    # Scotland has all four days: the same count; FOISA s.21 has no 40-day point.

    # --- New Year 2026: Thu 1 Jan, Fri 2 Jan (2 January, Scotland only) --------------------------
    (D(2025, 12, 17), FOIA, D(2026, 1, 20), D(2026, 2, 17)),
    # Wed 17 Dec received. 18, 19 = 1, 2; 22-24 = 3-5; 25, 26 X; 29-31 = 6-8; 1, 2 Jan X (2 Jan
    # is Scotland's, counted for an English body too); 5-9 = 9-13; 12-16 = 14-18; 19, 20 =
    # 19, 20 -> Tue 20 Jan. 40: 21-23 = 21-23; 26-30 = 24-28; 2-6 Feb = 29-33; 9-13 = 34-38;
    # 16, 17 = 39, 40 -> Tue 17 Feb.
    (D(2025, 12, 17), FOISA, D(2026, 1, 20), None),

    # --- Easter 2026: Good Friday 3 Apr; Easter Monday 6 Apr (not in Scotland) --------------------
    (D(2026, 4, 1), FOIA, D(2026, 5, 1), D(2026, 6, 2)),
    # Wed 1 Apr received. Thu 2 = 1; Fri 3 X; Mon 6 X; 7-10 = 2-5; 13-17 = 6-10; 20-24 = 11-15;
    # 27 Apr-1 May = 16-20 -> Fri 1 May. 40: Mon 4 May X (early May); 5-8 = 21-24; 11-15 =
    # 25-29; 18-22 = 30-34; Mon 25 X (spring); 26-29 = 35-38; 1, 2 Jun = 39, 40 -> Tue 2 Jun.
    (D(2026, 4, 1), FOISA, D(2026, 4, 30), None),
    # Thu 2 = 1; Fri 3 X; Mon 6 = 2 (a working day in Scotland); 7-10 = 3-6; 13-17 = 7-11;
    # 20-24 = 12-16; 27-30 = 17-20 -> Thu 30 Apr, a day earlier than in England.

    # --- St Andrew's Day 2025, Sun 30 Nov: substitute Mon 1 Dec (Scotland) ------------------------
    (D(2025, 11, 28), FOISA, D(2025, 12, 31), None),
    # Fri 28 Nov received. Mon 1 Dec X; 2-5 = 1-4; 8-12 = 5-9; 15-19 = 10-14; 22-24 = 15-17;
    # 25, 26 X; 29-31 = 18-20 -> Wed 31 Dec.
    (D(2025, 11, 28), FOIA, D(2025, 12, 31), D(2026, 1, 30)),
    # The same days stop an English body's clock (any part of the UK). 40: 1, 2 Jan X; 5-9 =
    # 21-25; 12-16 = 26-30; 19-23 = 31-35; 26-30 = 36-40 -> Fri 30 Jan.

    # --- Received on a Saturday: day 0 whatever day it is ----------------------------------------
    (D(2026, 6, 6), FOIA, D(2026, 7, 6), D(2026, 8, 5)),
    # Sat 6 Jun received. 8-12 = 1-5; Mon 15 X (Scotland's one-off World Cup bank holiday,
    # counted for an English body too); 16-19 = 6-9; 22-26 = 10-14; 29 Jun-3 Jul = 15-19;
    # Mon 6 Jul = 20. 40: 7-10 = 21-24; Mon 13 Jul X (Northern Ireland's Boyne substitute);
    # 14-17 = 25-28; 20-24 = 29-33; 27-31 = 34-38; Mon 3 Aug X (Scotland's summer bank
    # holiday); Tue 4 = 39; Wed 5 Aug = 40.
    (D(2026, 6, 6), FOISA, D(2026, 7, 6), None),
    # Scotland: Mon 15 Jun X as well; the same 20 days.
])
def test_the_review_clock(received, regime, due, complex_due):
    clock = review_clock(received, regime)
    assert (clock.received_on, clock.due_on, clock.complex_due_on) == (received, due,
                                                                      complex_due)


def test_the_basis_says_statute_or_guidance():
    foisa, foia = review_clock(D(2026, 3, 2), FOISA), review_clock(D(2026, 3, 2), FOIA)
    assert (foisa.statutory, foisa.basis) == (True, FOISA_BASIS)
    assert "Section 21" in foisa.basis and "statutory" in foisa.basis
    assert (foia.statutory, foia.basis) == (False, FOIA_BASIS)
    assert "section 45" in foia.basis and "guidance, not statute" in foia.basis
    assert "40 in complex cases" in foia.basis


@pytest.mark.parametrize(("due", "decided", "today", "overdue"), [
    (D(2026, 3, 30), False, D(2026, 3, 30), False),  # due today: not yet overdue
    (D(2026, 3, 30), False, D(2026, 3, 31), True),
    (D(2026, 3, 30), True, D(2026, 4, 30), False),  # decided: never overdue
])
def test_a_review_is_overdue_after_its_due_date(due, decided, today, overdue):
    assert review_is_overdue(due, decided, today) is overdue


@pytest.mark.parametrize(("regime", "regulator"), [
    (FOIA, Regulator.ICO), (FOISA, Regulator.SIC), ("foia", Regulator.ICO),
    ("foisa", Regulator.SIC)])
def test_the_regulator_follows_the_law(regime, regulator):
    assert regulator_for(regime) is regulator


def test_the_regulators_names():
    assert Regulator.ICO.label == "Information Commissioner's Office"
    assert Regulator.SIC.label == "Scottish Information Commissioner"


def test_an_unknown_regime_is_refused():
    with pytest.raises(ValueError):
        regulator_for("gdpr")


@pytest.mark.parametrize(("last", "on", "regime", "recent"), [
    (None, D(2026, 12, 7), FOIA, False),  # never chased
    (D(2026, 12, 7), D(2026, 12, 7), FOIA, True),  # the same day
    (D(2026, 12, 7), D(2026, 12, 11), FOIA, True),  # Mon to Fri: 4 working days
    (D(2026, 12, 7), D(2026, 12, 14), FOIA, False),  # Mon to Mon: 5
    # Wed 23 Dec 2026: 24 = 1; 25, 28 X; 29 = 2; 30 = 3 -> too soon on Wed 30 Dec.
    (D(2026, 12, 23), D(2026, 12, 30), FOIA, True),
    # ... 31 = 4; 1 Jan X; Mon 4 Jan X (Scotland's 2 January); Tue 5 Jan = 5.
    (D(2026, 12, 23), D(2027, 1, 4), FOISA, True),
    (D(2026, 12, 23), D(2027, 1, 5), FOISA, False),
    (D(2026, 12, 23), D(2027, 1, 5), FOIA, False),
    # Easter 2026, Thu 2 Apr: Fri 3 X; Mon 6 X in England, a working day in Scotland.
    (D(2026, 4, 2), D(2026, 4, 9), FOIA, True),  # 7 = 1 ... 9 = 3
    (D(2026, 4, 2), D(2026, 4, 9), FOISA, True),  # 6 = 1 ... 9 = 4
    (D(2026, 4, 2), D(2026, 4, 10), FOISA, False),  # 10 = 5
    (D(2026, 4, 2), D(2026, 4, 10), FOIA, True),  # 10 = 4
])
def test_chasers_wait_5_working_days(last, on, regime, recent):
    assert chased_recently(last, on, regime) is recent


SENT = D(2026, 3, 2)


@pytest.mark.parametrize(("dates", "fields"), [
    ({"asked_on": SENT}, []),
    ({"asked_on": D(2026, 3, 1)}, ["asked_on"]),
    ({"asked_on": D(2026, 3, 10), "received_on": D(2026, 3, 9)}, ["received_on"]),
    ({"asked_on": D(2026, 3, 10), "received_on": D(2026, 3, 10),
      "outcome_on": D(2026, 3, 10)}, []),
    ({"asked_on": D(2026, 3, 10), "outcome_on": D(2026, 3, 9)}, ["outcome_on"]),
    ({"asked_on": D(2026, 2, 1), "received_on": D(2026, 1, 1)}, ["asked_on", "received_on"]),
])
def test_review_dates_in_order(dates, fields):
    problems = review_date_problems(sent_on=SENT, **dates)
    assert [name for name, _ in problems] == fields


def test_a_review_date_problem_names_the_field_and_the_date():
    ((name, message),) = review_date_problems(sent_on=SENT, asked_on=D(2026, 2, 27))
    assert name == "asked_on"
    assert message == ("The date the review was asked for must be on or after the day the "
                       "request was sent (2 March 2026)")


@pytest.mark.parametrize(("dates", "fields"), [
    ({"made_on": SENT}, []),
    ({"made_on": D(2026, 3, 1)}, ["made_on"]),
    ({"made_on": D(2026, 4, 1), "acknowledged_on": D(2026, 3, 31)}, ["acknowledged_on"]),
    ({"made_on": D(2026, 4, 1), "decision_notice_on": D(2026, 3, 31)},
     ["decision_notice_on"]),
    ({"made_on": D(2026, 4, 1), "acknowledged_on": D(2026, 4, 10),
      "decision_notice_on": D(2026, 4, 5)}, ["decision_notice_on"]),
    ({"made_on": D(2026, 4, 1), "acknowledged_on": D(2026, 4, 10),
      "decision_notice_on": D(2026, 9, 5)}, []),
])
def test_complaint_dates_in_order(dates, fields):
    problems = complaint_date_problems(sent_on=SENT, **dates)
    assert [name for name, _ in problems] == fields
