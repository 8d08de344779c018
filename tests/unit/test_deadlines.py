"""Statutory FOI deadlines (cradle.foi.deadlines) and the shipped bank holidays.

Every expected date below was counted by hand; the comment under each case shows the count
(day N = the Nth working day after receipt, X = not a working day and why).
"""

import csv
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from cradle.foi import deadlines
from cradle.foi.deadlines import (
    FOISA_BANK_HOLIDAYS,
    HolidayDataError,
    HolidayRule,
    Regime,
    due_date,
    easter_sunday,
    is_working_day,
    long_overdue_date,
    non_working_reason,
    restarted_due_date,
    working_days_between,
)
from cradle.foi.holidays import DATA_FILE, DIVISIONS, load

FOIA, FOISA = Regime.FOIA, Regime.FOISA
D = date


@pytest.mark.parametrize(("received", "regime", "expected"), [
    # --- Easter: Good Friday 29 Mar 2024, Easter Monday 1 Apr 2024 -------------------------
    (D(2024, 3, 27), FOIA, D(2024, 4, 26)),
    # Wed 27 Mar received. Thu 28 = 1; Fri 29 X Good Friday; Mon 1 Apr X Easter Monday;
    # 2-5 Apr = 2-5; 8-12 = 6-10; 15-19 = 11-15; 22-26 = 16-20 -> Fri 26 Apr.
    (D(2024, 3, 27), FOISA, D(2024, 4, 25)),
    # Easter Monday is not a Scottish bank holiday (ADR 0004): Thu 28 = 1; Fri 29 X;
    # Mon 1 Apr = 2; 2-5 Apr = 3-6; 8-12 = 7-11; 15-19 = 12-16; 22-25 = 17-20 -> Thu 25 Apr.

    # --- Christmas and New Year with substitute days ---------------------------------------
    (D(2021, 12, 10), FOIA, D(2022, 1, 13)),
    # 2021: 25/26 Dec are Sat/Sun, so Mon 27 and Tue 28 are substitutes; 1/2 Jan 2022 are
    # Sat/Sun, so Mon 3 Jan (New Year's Day) and Tue 4 Jan (Scotland's 2 January) are too.
    # Fri 10 Dec received. 13-17 = 1-5; 20-24 = 6-10; 27, 28 X; 29-31 = 11-13; 3, 4 Jan X;
    # 5-7 Jan = 14-16; 10-13 = 17-20 -> Thu 13 Jan.
    (D(2021, 12, 10), FOISA, D(2022, 1, 13)),
    # Scotland has all four of those substitute days: same count.
    (D(2022, 12, 15), FOIA, D(2023, 1, 18)),
    # 2022: 25 Dec Sun -> Mon 26 Boxing Day, Tue 27 Christmas substitute; 1 Jan 2023 Sun ->
    # Mon 2 Jan (all UK), Tue 3 Jan (Scotland's 2 January substitute, FOIA: any part of UK).
    # Thu 15 received. Fri 16 = 1; 19-23 = 2-6; 26, 27 X; 28-30 = 7-9; 2, 3 Jan X;
    # 4-6 = 10-12; 9-13 = 13-17; 16-18 = 18-20 -> Wed 18 Jan.
    (D(2022, 12, 15), FOISA, D(2023, 1, 18)),

    # --- Scottish-only days extend FOIA as well as FOISA -----------------------------------
    (D(2019, 12, 16), FOIA, D(2020, 1, 17)),
    # Mon 16 Dec received. 17-20 = 1-4; 23, 24 = 5, 6; 25, 26 X; Fri 27 = 7; 30, 31 = 8, 9;
    # Wed 1 Jan X; Thu 2 Jan X (Scotland only); Fri 3 = 10; 6-10 = 11-15; 13-17 = 16-20.
    (D(2019, 12, 16), FOISA, D(2020, 1, 17)),
    (D(2023, 11, 15), FOIA, D(2023, 12, 14)),
    # Wed 15 Nov received. 16, 17 = 1, 2; 20-24 = 3-7; 27-29 = 8-10; Thu 30 X St Andrew's
    # Day (Scotland only); Fri 1 Dec = 11; 4-8 = 12-16; 11-14 = 17-20 -> Thu 14 Dec.
    (D(2023, 11, 15), FOISA, D(2023, 12, 14)),
    (D(2023, 7, 31), FOIA, D(2023, 8, 30)),
    # Mon 31 Jul received. 1-4 Aug = 1-4; Mon 7 X (Scottish summer bank holiday); 8-11 = 5-8;
    # 14-18 = 9-13; 21-25 = 14-18; Mon 28 X (E&W/NI summer bank holiday); 29, 30 = 19, 20.
    (D(2023, 7, 31), FOISA, D(2023, 8, 29)),
    # FOISA: 7 Aug X; 28 Aug counts: 1-4 = 1-4; 8-11 = 5-8; 14-18 = 9-13; 21-25 = 14-18;
    # 28, 29 = 19, 20 -> Tue 29 Aug.

    # --- Northern Ireland-only days extend FOIA but not FOISA ------------------------------
    (D(2023, 3, 1), FOIA, D(2023, 3, 30)),
    # Wed 1 Mar received. 2, 3 = 1, 2; 6-10 = 3-7; 13-16 = 8-11; Fri 17 X St Patrick's Day;
    # 20-24 = 12-16; 27-30 = 17-20 -> Thu 30 Mar.
    (D(2023, 3, 1), FOISA, D(2023, 3, 29)),
    # 17 Mar counts: 2, 3 = 1, 2; 6-10 = 3-7; 13-17 = 8-12; 20-24 = 13-17; 27-29 = 18-20.
    (D(2023, 6, 26), FOIA, D(2023, 7, 25)),
    # Mon 26 Jun received. 27-30 = 1-4; 3-7 Jul = 5-9; 10, 11 = 10, 11; Wed 12 X Battle of
    # the Boyne; 13, 14 = 12, 13; 17-21 = 14-18; 24, 25 = 19, 20 -> Tue 25 Jul.
    (D(2023, 6, 26), FOISA, D(2023, 7, 24)),
    # 12 Jul counts: 27-30 = 1-4; 3-7 = 5-9; 10-14 = 10-14; 17-21 = 15-19; 24 = 20.
    (D(2026, 7, 1), FOIA, D(2026, 7, 30)),
    # 12 Jul 2026 is a Sunday: substitute Mon 13 Jul. Wed 1 Jul received. 2, 3 = 1, 2;
    # 6-10 = 3-7; Mon 13 X; 14-17 = 8-11; 20-24 = 12-16; 27-30 = 17-20 -> Thu 30 Jul.
    (D(2026, 7, 1), FOISA, D(2026, 7, 29)),

    # --- An England, Wales and NI day (late August) extends FOIA but not FOISA -------------
    (D(2023, 8, 14), FOIA, D(2023, 9, 12)),
    # Mon 14 Aug received. 15-18 = 1-4; 21-25 = 5-9; Mon 28 X; 29-31 = 10-12; Fri 1 Sep = 13;
    # 4-8 = 14-18; 11, 12 = 19, 20 -> Tue 12 Sep.
    (D(2023, 8, 14), FOISA, D(2023, 9, 11)),

    # --- One-off days ----------------------------------------------------------------------
    (D(2022, 5, 25), FOISA, D(2022, 6, 24)),
    # Wed 25 May received. 26, 27 = 1, 2; Mon 30 May = 3 (Spring bank holiday moved);
    # 31, 1 Jun = 4, 5; Thu 2 X Spring bank holiday; Fri 3 X Platinum Jubilee; 6-10 = 6-10;
    # 13-17 = 11-15; 20-24 = 16-20 -> Fri 24 Jun.
    (D(2022, 9, 12), FOIA, D(2022, 10, 11)),
    # Mon 12 Sep received. 13-16 = 1-4; Mon 19 X State Funeral; 20-23 = 5-8; 26-30 = 9-13;
    # 3-7 Oct = 14-18; 10, 11 = 19, 20 -> Tue 11 Oct.
    (D(2023, 5, 2), FOIA, D(2023, 6, 1)),
    # Tue 2 May received. 3-5 = 1-3; Mon 8 X Coronation; 9-12 = 4-7; 15-19 = 8-12;
    # 22-26 = 13-17; Mon 29 X Spring bank holiday; 30, 31, 1 Jun = 18-20 -> Thu 1 Jun.
    (D(2020, 5, 1), FOIA, D(2020, 6, 2)),
    # Early May bank holiday moved to Fri 8 May 2020 (VE Day), so Mon 4 May was a working day.
    # Fri 1 May received. 4-7 = 1-4; Fri 8 X; 11-15 = 5-9; 18-22 = 10-14; Mon 25 X Spring;
    # 26-29 = 15-18; Mon 1, Tue 2 Jun = 19, 20 -> Tue 2 Jun.
])
def test_due_date(received, regime, expected):
    assert due_date(received, regime) == expected
    assert working_days_between(received, expected, regime) == 20


@pytest.mark.parametrize(("received", "expected"), [
    # Fri 7 Jun 2024: Mon 10-14 = 1-5; 17-21 = 6-10; 24-28 = 11-15; 1-5 Jul = 16-20.
    (D(2024, 6, 7), D(2024, 7, 5)),
    # Received Sat 8 or Sun 9 Jun: day 1 is still Mon 10, so the same due date.
    (D(2024, 6, 8), D(2024, 7, 5)),
    (D(2024, 6, 9), D(2024, 7, 5)),
    # Received on Easter Monday 1 Apr 2024 (a bank holiday): 2-5 Apr = 1-4; 8-12 = 5-9;
    # 15-19 = 10-14; 22-26 = 15-19; Mon 29 = 20.
    (D(2024, 4, 1), D(2024, 4, 29)),
    # Received on Christmas Day, Mon 25 Dec 2023: Tue 26 X; 27-29 = 1-3; Mon 1 Jan X;
    # Tue 2 Jan X (Scotland); 3-5 = 4-6; 8-12 = 7-11; 15-19 = 12-16; 22-25 = 17-20.
    (D(2023, 12, 25), D(2024, 1, 25)),
])
@pytest.mark.parametrize("regime", list(Regime))
def test_receipt_on_a_non_working_day_counts_from_the_next_working_day(
        received, expected, regime):
    assert due_date(received, regime) == expected


@pytest.mark.parametrize(("regime", "expected"), [
    (FOIA, D(2024, 8, 6)),
    # Fri 7 Jun 2024 received; day 20 = Fri 5 Jul (above). 8-11 Jul = 21-24; Fri 12 X Battle
    # of the Boyne; 15-19 = 25-29; 22-26 = 30-34; 29 Jul-2 Aug = 35-39; Mon 5 Aug X (Scottish
    # summer bank holiday); Tue 6 Aug = 40.
    (FOISA, D(2024, 8, 2)),
    # FOISA: 8-12 Jul = 21-25; 15-19 = 26-30; 22-26 = 31-35; 29 Jul-2 Aug = 36-40.
])
def test_long_overdue_is_the_fortieth_working_day(regime, expected):
    assert long_overdue_date(D(2024, 6, 7), regime) == expected
    assert due_date(D(2024, 6, 7), regime, working_days=40) == expected
    assert working_days_between(D(2024, 6, 7), expected, regime) == 40


def test_clarification_restarts_the_clock_from_its_receipt():
    # Request received Fri 7 Jun 2024 (due 5 Jul); clarification received Thu 20 Jun.
    # Fri 21 = 1; 24-28 = 2-6; 1-5 Jul = 7-11; 8-11 = 12-15; Fri 12 X Boyne; 15-19 = 16-20.
    assert restarted_due_date(D(2024, 6, 20), FOIA) == D(2024, 7, 19)
    assert restarted_due_date(D(2024, 6, 20), FOIA) == due_date(D(2024, 6, 20), FOIA)
    # FOISA: 12 Jul counts, so 8-12 = 12-16; 15-18 = 17-20.
    assert restarted_due_date(D(2024, 6, 20), FOISA) == D(2024, 7, 18)


class TestScottishDecision:
    """ADR 0004: FOISA excludes every day GOV.UK lists for Scotland, and only those."""

    @pytest.mark.parametrize("day", [
        D(2024, 1, 2),  # 2 January
        D(2024, 3, 29),  # Good Friday (not named in FOISA s73; a Scottish bank holiday)
        D(2024, 5, 6),  # first Monday in May
        D(2024, 5, 27),  # late May Monday: appointed by Royal Proclamation, counted
        D(2024, 8, 5),  # first Monday in August
        D(2024, 12, 2),  # St Andrew's Day substitute (30 Nov 2024 was a Saturday)
        D(2024, 12, 26),  # Boxing Day: appointed by Royal Proclamation, counted
        D(2026, 6, 15),  # one-off: Scotland's FIFA World Cup bank holiday
    ])
    def test_scottish_bank_holidays_are_not_foisa_working_days(self, day):
        assert not is_working_day(day, FOISA)
        assert not is_working_day(day, FOIA)  # any part of the UK

    @pytest.mark.parametrize("day", [
        D(2024, 4, 1),  # Easter Monday: not a bank holiday in Scotland
        D(2024, 8, 26),  # last Monday in August
        D(2024, 3, 18),  # St Patrick's Day substitute (17 Mar 2024 was a Sunday)
        D(2024, 7, 12),  # Battle of the Boyne
    ])
    def test_other_parts_days_are_foisa_working_days_but_not_foia(self, day):
        assert is_working_day(day, FOISA)
        assert not is_working_day(day, FOIA)

    def test_the_rule_is_one_value_that_can_be_changed(self, monkeypatch):
        wider = replace(FOISA_BANK_HOLIDAYS,
                        borrowed=frozenset({("england-and-wales", "Easter Monday")}))
        narrower = replace(FOISA_BANK_HOLIDAYS,
                           ignored=frozenset({"Spring bank holiday", "Boxing Day"}))
        for rule, easter_monday, late_may in [(wider, False, False), (narrower, True, True)]:
            monkeypatch.setitem(deadlines.REGIME_BANK_HOLIDAYS, FOISA, rule)
            deadlines._bank_holidays.cache_clear()
            assert is_working_day(D(2024, 4, 1), FOISA) is easter_monday
            assert is_working_day(D(2024, 5, 27), FOISA) is late_may
            assert not is_working_day(D(2024, 1, 2), FOISA)
        deadlines._bank_holidays.cache_clear()


@pytest.mark.parametrize(("day", "regime", "reason"), [
    (D(2024, 6, 8), FOIA, "Saturday"),
    (D(2024, 6, 9), FOISA, "Sunday"),
    (D(2024, 12, 25), FOISA, "Christmas Day"),
    (D(2024, 3, 29), FOIA, "Good Friday"),
    (D(2024, 3, 29), FOISA, "Good Friday (scotland)"),
    (D(2024, 3, 18), FOIA, "St Patrick's Day (substitute day) (northern-ireland)"),
    (D(2024, 4, 1), FOIA, "Easter Monday (england-and-wales); Easter Monday (northern-ireland)"),
    (D(2024, 4, 1), FOISA, None),
    (D(2024, 4, 2), FOIA, None),
])
def test_non_working_reason(day, regime, reason):
    assert non_working_reason(day, regime) == reason
    assert is_working_day(day, regime) is (reason is None)


def test_working_days_between():
    # Fri 5 Jul 2024 -> Fri 12 Jul: Mon 8-Thu 11 = 4, Fri 12 X Boyne (FOIA); FOISA counts it.
    assert working_days_between(D(2024, 7, 5), D(2024, 7, 12), FOIA) == 4
    assert working_days_between(D(2024, 7, 5), D(2024, 7, 12), FOISA) == 5
    assert working_days_between(D(2024, 7, 12), D(2024, 7, 5), FOIA) == -4
    assert working_days_between(D(2024, 7, 5), D(2024, 7, 5), FOIA) == 0
    assert working_days_between(D(2024, 7, 6), D(2024, 7, 7), FOIA) == 0  # a weekend


def test_regime_accepts_its_string_values_and_rejects_others():
    assert Regime("foia") is FOIA and Regime("foisa") is FOISA
    assert due_date(D(2024, 6, 7), "foisa") == D(2024, 7, 5)
    with pytest.raises(ValueError, match="unknown FOI regime 'eir'"):
        due_date(D(2024, 6, 7), "eir")


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_working_days_must_be_a_positive_whole_number(bad):
    with pytest.raises(ValueError, match="working_days"):
        due_date(D(2024, 6, 7), FOIA, working_days=bad)


def test_datetimes_are_refused():
    with pytest.raises(TypeError, match="datetime.date"):
        due_date(datetime(2024, 6, 7, 17, 30), FOIA)


@pytest.mark.parametrize(("call", "year"), [
    (lambda: due_date(D(2030, 12, 20), FOIA), "2031"),  # day 20 would be in January 2031
    (lambda: due_date(D(2031, 1, 6), FOISA), "2031"),
    (lambda: is_working_day(D(2014, 12, 31), FOIA), "2014"),
    (lambda: working_days_between(D(2014, 12, 20), D(2015, 1, 10), FOISA), "2014"),
    (lambda: long_overdue_date(D(2030, 11, 1), FOIA), "2031"),
])
def test_dates_outside_the_holiday_data_raise(call, year):
    with pytest.raises(HolidayDataError, match=f"{year}-.* outside the bank holiday data, "
                                               "which covers 2015-2030"):
        call()


def test_the_last_covered_days_still_work():
    # Mon 2 Dec 2030 (St Andrew's Day substitute) received: 3-6 = 1-4; 9-13 = 5-9;
    # 16-20 = 10-14; 23, 24 = 15, 16; 25, 26 X; 27 = 17; 30, 31 = 18, 19; 1 Jan 2031 is
    # outside the data -> error, even though a count on 30/31 Dec stays inside.
    assert working_days_between(D(2030, 12, 2), D(2030, 12, 31), FOIA) == 19
    with pytest.raises(HolidayDataError):
        due_date(D(2030, 12, 2), FOIA)


# --- The shipped data -------------------------------------------------------------------------

def rows():
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_data_covers_2015_to_2030_for_every_division():
    calendar = load()
    assert (calendar.first_year, calendar.last_year) == (2015, 2030)
    counts = Counter(row["division"] for row in rows())
    assert counts == {"england-and-wales": 131, "scotland": 148, "northern-ireland": 163}
    years = {(row["division"], row["date"][:4]) for row in rows()}
    assert years == {(d, str(y)) for d in DIVISIONS for y in range(2015, 2031)}


def test_data_is_tidy():
    table = rows()
    assert list(table[0]) == ["division", "date", "name"]
    keys = [(row["division"], row["date"]) for row in table]
    assert len(keys) == len(set(keys)), "one row per division and date"
    assert keys == sorted(keys, key=lambda k: (DIVISIONS.index(k[0]), k[1]))
    assert all(D.fromisoformat(row["date"]).weekday() < 5 for row in table), "weekdays only"
    assert all(row["name"].strip() == row["name"] != "" for row in table)


@pytest.mark.parametrize(("division", "day", "name"), [
    # Cross-checked by hand against GOV.UK (www.gov.uk/bank-holidays) and proclamations.
    ("england-and-wales", "2019-04-22", "Easter Monday"),
    ("england-and-wales", "2019-05-06", "Early May bank holiday"),
    ("england-and-wales", "2019-05-27", "Spring bank holiday"),
    ("england-and-wales", "2019-08-26", "Summer bank holiday"),
    ("scotland", "2019-08-05", "Summer bank holiday"),
    ("scotland", "2019-01-02", "2nd January"),
    ("scotland", "2019-12-02", "St Andrew's Day (substitute day)"),
    ("england-and-wales", "2020-05-08", "Early May bank holiday (VE day)"),
    ("scotland", "2020-05-08", "Early May bank holiday (VE day)"),
    ("england-and-wales", "2020-12-28", "Boxing Day (substitute day)"),
    ("england-and-wales", "2021-12-27", "Christmas Day (substitute day)"),
    ("england-and-wales", "2021-12-28", "Boxing Day (substitute day)"),
    ("scotland", "2022-01-03", "New Year's Day (substitute day)"),
    ("scotland", "2022-01-04", "2nd January (substitute day)"),
    ("england-and-wales", "2022-06-02", "Spring bank holiday"),
    ("england-and-wales", "2022-06-03", "Platinum Jubilee bank holiday"),
    ("northern-ireland", "2022-06-03", "Platinum Jubilee bank holiday"),
    ("scotland", "2022-09-19", "Bank holiday for the State Funeral of Queen Elizabeth II"),
    ("northern-ireland", "2022-07-12", "Battle of the Boyne (Orangemen's Day)"),
    ("england-and-wales", "2023-05-08", "Bank holiday for the coronation of King Charles III"),
    ("scotland", "2017-01-02", "2nd January"),  # 1 Jan a Sunday: New Year's Day moves to
    ("scotland", "2017-01-03", "New Year's Day (substitute day)"),  # the 3rd (Schedule 1)
    ("scotland", "2023-01-03", "New Year's Day (substitute day)"),
    ("northern-ireland", "2023-03-17", "St Patrick's Day"),
    ("northern-ireland", "2019-03-18", "St Patrick's Day (substitute day)"),
    ("northern-ireland", "2020-07-13", "Battle of the Boyne (Orangemen's Day) (substitute day)"),
    ("scotland", "2025-12-01", "St Andrew's Day (substitute day)"),
    ("scotland", "2026-06-15", "Bank holiday for Scotland's participation in the FIFA World Cup"),
])
def test_known_days_are_in_the_data(division, day, name):
    assert {"division": division, "date": day, "name": name} in rows()


@pytest.mark.parametrize(("division", "day"), [
    ("england-and-wales", "2020-05-04"),  # moved to 8 May
    ("england-and-wales", "2022-05-30"),  # moved to 2 June
    ("scotland", "2019-04-22"),  # Easter Monday is not a Scottish bank holiday
    ("scotland", "2019-08-26"),
    ("england-and-wales", "2019-08-05"),
    ("england-and-wales", "2019-01-02"),
    ("england-and-wales", "2023-03-17"),
    ("scotland", "2026-07-13"),
    ("england-and-wales", "2026-06-15"),
])
def test_days_that_are_not_bank_holidays_there(division, day):
    assert not [r for r in rows() if (r["division"], r["date"]) == (division, day)]


#: GOV.UK's published dates, month-day per year: 2015-2021 from GOV.UK's own source file
#: (github.com/alphagov/calendars, lib/data/bank-holidays.json); england-and-wales 2022-2027
#: from a copy of the GOV.UK feed (npm package section-2 0.1.3, data/bankHolidays.js).
GOV_UK = {
    "england-and-wales": {
        2015: "01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28",
        2016: "01-01 03-25 03-28 05-02 05-30 08-29 12-26 12-27",
        2017: "01-02 04-14 04-17 05-01 05-29 08-28 12-25 12-26",
        2018: "01-01 03-30 04-02 05-07 05-28 08-27 12-25 12-26",
        2019: "01-01 04-19 04-22 05-06 05-27 08-26 12-25 12-26",
        2020: "01-01 04-10 04-13 05-08 05-25 08-31 12-25 12-28",
        2021: "01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28",
        2022: "01-03 04-15 04-18 05-02 06-02 06-03 08-29 09-19 12-26 12-27",
        2023: "01-02 04-07 04-10 05-01 05-08 05-29 08-28 12-25 12-26",
        2024: "01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26",
        2025: "01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26",
        2026: "01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28",
        2027: "01-01 03-26 03-29 05-03 05-31 08-30 12-27 12-28",
    },
    "scotland": {
        2015: "01-01 01-02 04-03 05-04 05-25 08-03 11-30 12-25 12-28",
        2016: "01-01 01-04 03-25 05-02 05-30 08-01 11-30 12-26 12-27",
        2017: "01-02 01-03 04-14 05-01 05-29 08-07 11-30 12-25 12-26",
        2018: "01-01 01-02 03-30 05-07 05-28 08-06 11-30 12-25 12-26",
        2019: "01-01 01-02 04-19 05-06 05-27 08-05 12-02 12-25 12-26",
        2020: "01-01 01-02 04-10 05-08 05-25 08-03 11-30 12-25 12-28",
        2021: "01-01 01-04 04-02 05-03 05-31 08-02 11-30 12-27 12-28",
    },
    "northern-ireland": {
        2015: "01-01 03-17 04-03 04-06 05-04 05-25 07-13 08-31 12-25 12-28",
        2016: "01-01 03-17 03-25 03-28 05-02 05-30 07-12 08-29 12-26 12-27",
        2017: "01-02 03-17 04-14 04-17 05-01 05-29 07-12 08-28 12-25 12-26",
        2018: "01-01 03-19 03-30 04-02 05-07 05-28 07-12 08-27 12-25 12-26",
        2019: "01-01 03-18 04-19 04-22 05-06 05-27 07-12 08-26 12-25 12-26",
        2020: "01-01 03-17 04-10 04-13 05-08 05-25 07-13 08-31 12-25 12-28",
        2021: "01-01 03-17 04-02 04-05 05-03 05-31 07-12 08-30 12-27 12-28",
    },
}


@pytest.mark.parametrize(("division", "year"),
                         [(d, y) for d, years in GOV_UK.items() for y in years])
def test_data_matches_gov_uk(division, year):
    ours = {r["date"] for r in rows() if r["division"] == division and r["date"][:4] == str(year)}
    assert ours == {f"{year}-{month_day}" for month_day in GOV_UK[division][year].split()}


def test_good_friday_in_the_data_matches_the_computed_easter():
    for division in DIVISIONS:
        fridays = {h.day for h in load().in_division(division) if h.name == "Good Friday"}
        assert fridays == {easter_sunday(y) - timedelta(days=2) for y in range(2015, 2031)}
    assert easter_sunday(2019) == D(2019, 4, 21) and easter_sunday(2024) == D(2024, 3, 31)


def test_england_and_wales_days_are_all_holidays_in_northern_ireland_too():
    ni = {h.day for h in load().in_division("northern-ireland")}
    assert {h.day for h in load().in_division("england-and-wales")} <= ni


def test_holiday_rule_defaults():
    assert HolidayRule(divisions=("scotland",)) == FOISA_BANK_HOLIDAYS


# --- The generator (build time only; the `holidays` library is needed to regenerate) ---------

def test_generator_names_follow_gov_uk():
    from cradle.foi.build_holidays import gov_uk_name, scottish_new_year_names

    assert gov_uk_name(D(2021, 12, 28), "Boxing Day (observed)") == "Boxing Day (substitute day)"
    assert gov_uk_name(D(2019, 8, 26), "Late Summer Bank Holiday") == "Summer bank holiday"
    assert gov_uk_name(D(2020, 5, 8), "May Day") == "Early May bank holiday (VE day)"
    assert scottish_new_year_names(2023) == {
        D(2023, 1, 2): "2nd January", D(2023, 1, 3): "New Year's Day (substitute day)"}
    assert scottish_new_year_names(2024) == {}
    with pytest.raises(SystemExit, match="unknown holiday name 'Some New Day'"):
        gov_uk_name(D(2031, 6, 2), "Some New Day")


def test_generator_reproduces_the_committed_csv():
    pytest.importorskip("holidays")
    from cradle.foi import build_holidays

    assert build_holidays.render(build_holidays.rows()) == DATA_FILE.read_text(encoding="utf-8")
