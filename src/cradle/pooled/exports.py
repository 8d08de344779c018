"""A pooled report as rows (CSV, XLSX), as JSON, and as the charts beside its tables.
Pure: no Django imports."""

from __future__ import annotations

from dataclasses import asdict

from cradle.stats.disclosure import SUPPRESSED

from . import charts
from .report import PooledReport

HEADER = ("period_start", "period_end", "teams_pooled", "protected", "section", "item",
          "count", "percent", "denominator")
CHARTED = ("risk_factors", "referrers", "caregiver_age", "attendance")


def rows(report: PooledReport) -> list[tuple]:
    common = (report.start, report.end, report.teams_pooled,
              "yes" if report.protected else "no")
    out = [(*common, "figures", figure.title, figure.value, None, figure.note)
           for figure in report.figures]
    for section in report.sections:
        out += [(*common, section.title, row.label, row.count, row.percent, section.denominator)
                for row in section.rows]
        out.append((*common, section.title, "Total", section.total, None, section.denominator))
    for outcome in report.outcomes:
        name = f"Change on {outcome.name} ({outcome.direction})"
        for item, value in (
                ("cases with a baseline score", outcome.cases_with_baseline),
                ("pairs with baseline and discharge scores", outcome.pairs),
                ("completion (%)", outcome.completion),
                ("mean before", outcome.mean_before), ("mean after", outcome.mean_after),
                ("mean change", outcome.mean_change),
                ("mean change 95% CI", outcome.mean_change_ci),
                ("effect size (d_z)", outcome.effect_size),
                ("effect size 95% CI", outcome.effect_size_ci),
                ("reliable improvement (%)", outcome.reliably_improved),
                ("no reliable change (%)", outcome.no_reliable_change),
                ("reliable deterioration (%)", outcome.reliably_deteriorated),
                ("clinically significant improvement (%)", outcome.clinically_significant)):
            out.append((*common, name, item, value, None,
                        "cases with an episode ended in the period"))
    return out


def as_json(report: PooledReport) -> dict:
    data = asdict(report)
    policy = data.pop("policy")
    data["disclosure_control"] = policy
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
