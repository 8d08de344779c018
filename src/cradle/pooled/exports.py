"""A pooled report as rows (CSV, XLSX), as JSON, and as the charts beside its tables.
Pure: no Django imports."""

from __future__ import annotations

import re
from dataclasses import asdict
from decimal import Decimal

from cradle.stats.disclosure import SUPPRESSED

from . import charts
from .report import PooledReport

# One figure a row. A number is a number (never text); an interval is in its own `lower` and
# `upper` columns (`interval` says which); a value that is not shown is empty and `status`
# says why, from what is shown only (saying which hidden count is the small one would undo
# the secondary suppression that protects it).
HEADER = ("period_start", "period_end", "teams_pooled", "protected", "section", "item",
          "value", "lower", "upper", "interval", "percent", "status", "denominator")
CHARTED = ("risk_factors", "referrers", "caregiver_age", "attendance")
CI_95 = "95% confidence interval"
QUARTILES = "lower and upper quartile"
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def figure_number(text: str | None) -> Decimal | None:
    """A figure as shown ("12", "-3.5") as a number; None where it is hidden or missing."""
    if text is None or not _NUMBER.fullmatch(text):
        return None
    return Decimal(text)


def interval_ends(text: str | None) -> tuple[Decimal | None, Decimal | None]:
    """An interval as shown ("-6.5 to -1.2") as its two ends."""
    if not text or " to " not in text:
        return None, None
    low, high = text.split(" to ", 1)
    return figure_number(low), figure_number(high)


def why_not_shown(text: str | None, kind: str, report: PooledReport) -> str:
    """Why a figure shown as ``text`` has no number ("" when it has one). ``kind``: "count",
    "percent" or "summary"."""
    if text is not None and text != SUPPRESSED:
        return ""
    if text is None:
        return "not applicable: nothing in the period to compute it from"
    policy = report.policy
    threshold = policy.threshold if policy else 7
    if kind == "count":
        return (f"suppressed: a count from 1 to {threshold}, or withheld so that such a count "
                "cannot be worked out from the others")
    if kind == "percent":
        return "suppressed: its count is hidden"
    people = policy.min_people_for_summary if policy else 7
    return (f"withheld: rests on {people} or fewer people or on a hidden count, or would let "
            "a hidden figure be worked out")


def rows(report: PooledReport) -> list[tuple]:
    common = (report.start, report.end, report.teams_pooled,
              "yes" if report.protected else "no")

    def row(section, item, value, kind, *, denominator, percent=None, has_percent=False,
            interval=None, interval_name=""):
        low, high = interval_ends(interval)
        status = why_not_shown(value, kind, report)
        if not status and has_percent and (reason := why_not_shown(percent, "percent", report)):
            status = f"percent {reason}"
        if (not status and interval is not None and (low is None or high is None)
                and (reason := why_not_shown(interval, "summary", report))):
            status = f"interval {reason}"
        return (*common, section, item, figure_number(value), low, high,
                interval_name if interval is not None else "", figure_number(percent), status,
                denominator)

    figures = {figure.key: figure for figure in report.figures}
    out = []
    for figure in report.figures:
        if figure.key == "wait_quartiles":
            continue  # the quartiles are the median's interval, on its row
        kind = "count" if figure.key in ("referrals", "training_events",
                                         "professionals_trained") else "summary"
        quartiles = figures.get("wait_quartiles") if figure.key == "wait_median" else None
        out.append(row("figures", figure.title, figure.value, kind, denominator=figure.note,
                       interval=quartiles.value if quartiles else None,
                       interval_name=QUARTILES if quartiles else ""))
    for section in report.sections:
        out += [row(section.title, r.label, r.count, "count", percent=r.percent,
                    has_percent=True, denominator=section.denominator) for r in section.rows]
        out.append(row(section.title, "Total", section.total, "count",
                       denominator=section.denominator))
    for outcome in report.outcomes:
        name = f"Change on {outcome.name} ({outcome.direction})"
        note = "cases with an episode ended in the period"
        for item, value, kind, interval in (
                ("cases with a baseline score", outcome.cases_with_baseline, "count", None),
                ("pairs with baseline and discharge scores", outcome.pairs, "count", None),
                ("completion (%)", outcome.completion, "summary", None),
                ("mean before", outcome.mean_before, "summary", None),
                ("mean after", outcome.mean_after, "summary", None),
                ("mean change", outcome.mean_change, "summary", outcome.mean_change_ci),
                ("effect size (d_z)", outcome.effect_size, "summary", outcome.effect_size_ci),
                ("reliable improvement (%)", outcome.reliably_improved, "summary", None),
                ("no reliable change (%)", outcome.no_reliable_change, "summary", None),
                ("reliable deterioration (%)", outcome.reliably_deteriorated, "summary", None),
                ("clinically significant improvement (%)", outcome.clinically_significant,
                 "summary", None)):
            out.append(row(name, item, value, kind, denominator=note, interval=interval,
                           interval_name=CI_95 if interval is not None else ""))
    return out


def json_number(value: Decimal | None) -> int | float | None:
    """A shown figure as a JSON number: whole ones as integers."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() and "." not in str(value) \
        else float(value)


OUTCOME_FIGURES = {
    "cases_with_baseline": "count", "pairs": "count", "completion": "summary",
    "mean_before": "summary", "mean_after": "summary", "mean_change": "summary",
    "effect_size": "summary", "reliably_improved": "summary", "no_reliable_change": "summary",
    "reliably_deteriorated": "summary", "clinically_significant": "summary",
}
OUTCOME_INTERVALS = ("mean_change_ci", "effect_size_ci")
FIGURE_COUNTS = ("referrals", "training_events", "professionals_trained")


def _typed(target: dict, field: str, text: str | None, kind: str, report: PooledReport):
    """``field`` as a number or null, and ``field_status`` beside it saying why it is null."""
    target[field] = json_number(figure_number(text))
    target[f"{field}_status"] = why_not_shown(text, kind, report)


def _typed_interval(target: dict, field: str, text: str | None, report: PooledReport):
    low, high = interval_ends(text)
    target[f"{field}_lower"], target[f"{field}_upper"] = json_number(low), json_number(high)
    target[f"{field}_status"] = "" if low is not None and high is not None else \
        why_not_shown(text if text in (None, SUPPRESSED) else SUPPRESSED, "summary", report)


def as_json(report: PooledReport) -> dict:
    """The report as JSON: every figure a number, or null with a status beside it saying why
    (`<field>_status`, "" when shown); intervals as `<field>_lower` and `<field>_upper`."""
    data = asdict(report)
    data["disclosure_control"] = data.pop("policy")
    for section in data["sections"]:
        for row in section["rows"]:
            count, percent = row["count"], row["percent"]
            _typed(row, "count", count, "count", report)
            _typed(row, "percent", percent, "percent", report)
        _typed(section, "total", section["total"], "count", report)
    figures = {figure["key"]: figure for figure in data["figures"]}
    quartiles = figures.get("wait_quartiles", {}).get("value")
    data["figures"] = [figure for figure in data["figures"] if figure["key"] != "wait_quartiles"]
    for figure in data["figures"]:
        kind = "count" if figure["key"] in FIGURE_COUNTS else "summary"
        _typed(figure, "value", figure["value"], kind, report)
        _typed(figure, "people", figure["people"], "count", report)
        if figure["key"] == "wait_median":
            # The middle half of waits: the median's lower and upper quartile.
            _typed_interval(figure, "quartiles", quartiles, report)
    for outcome in data["outcomes"]:
        for field, kind in OUTCOME_FIGURES.items():
            _typed(outcome, field, outcome[field], kind, report)
        for field in OUTCOME_INTERVALS:
            _typed_interval(outcome, field, outcome.pop(field), report)
    return data


def _number(text: str | None) -> float | None:
    if text in (None, SUPPRESSED):
        return None
    try:
        return float(text)
    except ValueError:
        return None


def section_charts(report: PooledReport) -> dict[str, str]:
    """An SVG bar chart per charted section, of the percentages as shown."""
    drawn = {}
    for section in report.sections:
        if section.key not in CHARTED or not section.rows:
            continue
        bars = [charts.Bar(row.label, _number(row.percent),
                           "*" if row.percent == SUPPRESSED else
                           ("–" if row.percent is None else f"{row.percent}%"))
                for row in section.rows]
        drawn[section.key] = charts.bar_chart(
            bars, title=f"{section.title}: percentage of {section.denominator}", maximum=100)
    reliable = [charts.Bar(outcome.name, _number(outcome.reliably_improved),
                           "*" if outcome.reliably_improved == SUPPRESSED else
                           f"{outcome.reliably_improved}%")
                for outcome in report.outcomes if outcome.reliably_improved is not None]
    if reliable:
        drawn["outcomes"] = charts.bar_chart(
            reliable, title="Reliable improvement per measure (% of pairs)", maximum=100)
    return drawn
