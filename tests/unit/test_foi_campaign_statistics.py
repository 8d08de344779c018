"""cradle.foi.campaign_statistics: the batch statistics' arithmetic over plain rows (no
database), table-driven."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from cradle.foi import campaign_statistics as stats
from cradle.foi.campaign_statistics import RequestRow
from cradle.foi.deadlines import HolidayDataError, due_date

D = datetime.date
TODAY = D(2026, 6, 1)
SENT = D(2026, 3, 2)  # a Monday
DUE = due_date(SENT, "foia")  # 2026-03-30
TYPES = [("icb", "Integrated care board"), ("nhs_trust", "NHS trust"), ("ccg", "CCG 2019")]


def row(state, *, body_type="icb", regime="foia", first=None, started=SENT, due=None,
        exemption="", sent=SENT) -> RequestRow:
    if state == stats.NOT_SENT:
        sent = started = None
    return RequestRow(body_type=body_type, regime=regime, state=state, sent_on=sent,
                      clock_started_on=started,
                      due_on=due if due is not None else (due_date(started, regime)
                                                          if started else None),
                      first_response_on=first, exemption=exemption)


def figures(rows, types=TYPES, **kwargs):
    return stats.campaign_statistics(rows, TODAY, types, **kwargs)


# Exemptions ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "sections"), [
    ("Section 12 (cost)", (12,)),
    ("section 12 (cost of compliance)", (12,)),
    ("s.40(2)", (40,)),
    ("s40(2)", (40,)),
    ("S 43", (43,)),
    ("Sec. 21", (21,)),
    ("sect 22", (22,)),
    ("ss. 40 and 43", (40, 43)),
    ("Sections 21, 22 & 43(2)", (21, 22, 43)),
    ("s.40(2) and s.43(2)", (40, 43)),
    ("FOISA s.38(1)(b)", (38,)),
    ("Section 12; also section 12(1)", (12,)),
    ("Section 14(1) vexatious", (14,)),
    ("Vexatious", ()),
    ("Regulation 12(4)(b) EIR", ()),
    ("costs 2019", ()),
    ("", ()),
])
def test_parse_exemption(text, sections):
    assert stats.parse_exemption(text) == sections


@pytest.mark.parametrize(("text", "regime", "labels"), [
    ("Section 12 (cost)", "foia", ["Section 12 (FOIA, cost of compliance)"]),
    ("s.40(2)", "foia", ["Section 40 (FOIA, personal information)"]),
    ("s.38(1)(b)", "foisa", ["Section 38 (FOISA, personal information)"]),
    ("s.31", "foia", ["Section 31 (FOIA)"]),
    ("ss 40 and 43", "foia", ["Section 40 (FOIA, personal information)",
                             "Section 43 (FOIA, commercial interests)"]),
    ("  Too   much work ", "foia", ["Other: Too much work"]),
])
def test_exemption_labels(text, regime, labels):
    assert stats.exemption_labels(text, regime) == labels


# First response --------------------------------------------------------------------------------

@pytest.mark.parametrize(("started", "dates", "first"), [
    (SENT, [D(2026, 3, 20), None, D(2026, 3, 10)], D(2026, 3, 10)),
    (SENT, [None, None], None),
    (SENT, [SENT], SENT),  # the same day counts
    # A response before the clock (re)started belonged to the earlier clock.
    (D(2026, 4, 1), [D(2026, 3, 10), D(2026, 4, 20)], D(2026, 4, 20)),
    (D(2026, 4, 1), [D(2026, 3, 10)], None),
    (None, [D(2026, 3, 10)], None),
])
def test_first_response_on(started, dates, first):
    assert stats.first_response_on(started, dates) == first


# Figures -------------------------------------------------------------------------------------

def test_every_sent_request_is_in_one_group_and_counted_excludes_closed():
    rows = [row(stats.NOT_SENT), row(stats.ANSWERED, first=D(2026, 3, 16)),
            row(stats.PARTIALLY_ANSWERED, first=DUE), row(stats.REFUSED, exemption="s.12",
                                                          first=D(2026, 4, 2)),
            row(stats.INTERNAL_REVIEW, first=D(2026, 3, 3)), row(stats.AWAITING),
            row(stats.AWAITING, started=D(2026, 5, 20)), row(stats.CLARIFICATION),
            row(stats.REDIRECTED), row(stats.WITHDRAWN)]
    (icb, total) = figures(rows)
    assert icb.key == "icb" and total.key == stats.ALL
    for group in (icb, total):
        assert (group.requests, group.not_sent, group.sent) == (10, 1, 9)
        assert (group.redirected, group.withdrawn, group.counted) == (1, 1, 7)
        assert group.responded == 4 and group.awaiting == 2 and group.clarification == 1
        assert group.counted == group.responded + group.awaiting + group.clarification
        assert group.overdue == 1  # due 2026-03-30, before today; the other is not yet due
        assert group.response_rate == Decimal("57.1")
        assert group.response_rate_words == "4 of 7 (57.1%)"
        assert (group.on_time, group.late, group.date_unknown) == (3, 1, 0)
        assert sum(count for _, count in group.segments) == group.counted


@pytest.mark.parametrize(("firsts", "median", "words"), [
    ([D(2026, 3, 16)], 10, "10 working days (over 1 response with a date)"),
    ([D(2026, 3, 3), D(2026, 3, 16)], 5.5, "5.5 working days (over 2 responses with a date)"),
    ([D(2026, 3, 3), D(2026, 3, 9), D(2026, 3, 30)], 5,
     "5 working days (over 3 responses with a date)"),
    ([D(2026, 3, 3)], 1, "1 working day (over 1 response with a date)"),
    ([None], None, "unknown (no first response with a date)"),
    ([], None, "unknown (no first response with a date)"),
])
def test_median_working_days(firsts, median, words):
    (*_, total) = figures([row(stats.ANSWERED, first=first) for first in firsts])
    assert total.median_working_days == median
    assert total.median_words == words


def test_date_unknown_is_left_out_of_the_median_and_on_time_never_counted_as_zero():
    rows = [row(stats.ANSWERED, first=D(2026, 3, 16)), row(stats.ANSWERED),
            row(stats.REFUSED, exemption="s.40"),
            # Responded before a later restart only: unknown for this clock.
            row(stats.ANSWERED, started=D(2026, 4, 1), first=D(2026, 3, 10))]
    (_, total) = figures(rows)
    assert total.responded == 4 and total.date_unknown == 3 and total.dated == 1
    assert total.working_days == [10]
    assert (total.on_time, total.late) == (1, 0)
    assert total.on_time_of_dated_words == "1 of 1 (100.0%)"
    assert total.on_time_of_counted_words == "1 of 4 (25.0%)"


def test_clarification_restart_counts_from_the_restart():
    restarted = D(2026, 4, 13)
    (_, total) = figures([row(stats.ANSWERED, started=restarted,
                              first=due_date(restarted, "foia"))])
    assert total.working_days == [20] and total.on_time == 1


@pytest.mark.parametrize(("first", "on_time", "late"), [
    (DUE, 1, 0), (DUE + datetime.timedelta(days=1), 0, 1), (SENT, 1, 0)])
def test_on_time_is_on_or_before_the_due_date(first, on_time, late):
    (_, total) = figures([row(stats.ANSWERED, first=first)])
    assert (total.on_time, total.late) == (on_time, late)


def test_scottish_requests_count_working_days_by_foisa():
    # Easter Monday 2026 (6 April) is a FOISA working day but not a FOIA one.
    start, first = D(2026, 4, 2), D(2026, 4, 7)
    (_, total) = figures([row(stats.ANSWERED, regime="foisa", started=start, first=first),
                          row(stats.ANSWERED, regime="foia", started=start, first=first)])
    assert sorted(total.working_days) == [1, 2]  # Good Friday counts under neither


def test_days_outside_the_holiday_data_are_left_out_of_the_median_not_dropped():
    def no_data(start, end, regime):
        raise HolidayDataError("outside")

    (_, total) = figures([row(stats.ANSWERED, first=D(2026, 3, 16))], days=no_data)
    assert total.days_uncountable == 1 and total.on_time == 1
    assert total.median_working_days is None


def test_groups_in_the_given_order_blank_last_unknown_types_by_key():
    rows = [row(stats.AWAITING, body_type=""), row(stats.AWAITING, body_type="hsc_trust"),
            row(stats.AWAITING, body_type="nhs_trust"), row(stats.AWAITING, body_type="icb")]
    groups = figures(rows)
    assert [(g.key, g.label) for g in groups] == [
        ("icb", "Integrated care board"), ("nhs_trust", "NHS trust"),
        ("hsc_trust", "hsc_trust"), ("", stats.OTHER_TYPE_LABEL), ("all", "All bodies")]
    assert groups[-1].sent == 4


def test_no_rows_gives_an_empty_all_group_with_no_figures():
    (total,) = figures([])
    assert total.sent == 0 and total.response_rate is None
    assert total.response_rate_words == "no figure (0 to count)"
    assert stats.bar_segments(total) == []
    assert stats.bar_text(total) == "All bodies: no requests counted."


def test_unknown_state_is_refused():
    with pytest.raises(ValueError, match="unknown request state"):
        figures([row("lost")])


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (1, 3, Decimal("33.3")), (2, 3, Decimal("66.7")), (1, 8, Decimal("12.5")),
    (0, 5, Decimal("0.0")), (3, 0, None)])
def test_percent(part, whole, expected):
    assert stats.percent(part, whole) == expected


def test_refusals_by_exemption_per_type_and_in_all():
    rows = [row(stats.REFUSED, exemption="Section 12 (cost)"),
            row(stats.REFUSED, exemption="s.12", body_type="nhs_trust"),
            row(stats.REFUSED, exemption="ss 40 and 43", body_type="nhs_trust"),
            row(stats.REFUSED, exemption="commercially sensitive"),
            row(stats.INTERNAL_REVIEW, exemption="")]
    groups = figures(rows)
    assert groups[-1].exemption_counts == [
        ("Section 12 (FOIA, cost of compliance)", 2),
        ("Section 40 (FOIA, personal information)", 1),
        ("Section 43 (FOIA, commercial interests)", 1),
        ("Other: commercially sensitive", 1)]
    table = stats.exemption_table(groups)
    assert table[0] == ("Section 12 (FOIA, cost of compliance)", 2,
                        [("Integrated care board", 1), ("NHS trust", 1)])


def test_bar_segments_add_up_to_100_across():
    rows = [row(stats.ANSWERED, first=D(2026, 3, 16)), row(stats.ANSWERED),
            row(stats.AWAITING), row(stats.CLARIFICATION), row(stats.WITHDRAWN)]
    (_, total) = figures(rows)
    segments = stats.bar_segments(total)
    assert [(s.key, s.count, s.x, s.width) for s in segments] == [
        ("on_time", 1, 0, 25), ("date_unknown", 1, 25, 25), ("overdue", 1, 50, 25),
        ("clarification", 1, 75, 25)]
    assert stats.bar_text(total) == (
        "All bodies, 4 requests counted: responded on time 1, responded, date unknown 1, "
        "awaiting, overdue 1, clarification requested 1.")


def test_csv_rows_follow_the_columns_and_leave_no_figure_blank():
    rows = [row(stats.ANSWERED), row(stats.AWAITING, body_type="")]
    groups = figures(rows)
    cells = stats.csv_rows(groups, TODAY)
    names = [name for name, _ in stats.CSV_COLUMNS]
    assert all(len(line) == len(names) for line in cells)
    icb, other, total = (dict(zip(names, line, strict=True)) for line in cells)
    assert icb["body_type"] == "icb" and other["body_type"] == "" and total["body_type"] == "all"
    assert other["body_type_name"] == stats.OTHER_TYPE_LABEL
    assert icb["first_response_date_unknown"] == 1
    assert icb["median_working_days_to_first_response"] is None
    assert icb["on_time_pct_of_dated"] is None  # no dated response: no figure, not 0
    assert other["response_rate_pct"] == Decimal("0.0")
    assert total["as_of"] == "2026-06-01"


def test_the_statistics_import_no_django():
    import json
    import subprocess
    import sys

    code = ("import json, sys\nimport cradle.foi.campaign_statistics\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'django')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert json.loads(result.stdout) == []
