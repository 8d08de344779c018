"""The pooled report: every figure of the portal from an `Extract`, computed by `cradle.stats`
and either shown as it is (a team's own figures; network analysts) or protected by disclosure
control (everything that leaves a team). Pure: no Django imports.

Every section states its denominator; the report states its period and how many teams it pools.
Figures are strings ready to show (and to download): protected counts are "0", "*" or a
multiple of the rounding base; percentages come from the shown counts; a mean, median or
effect size resting on too few people is "*".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from cradle.directory import vocabulary as directory_vocabulary
from cradle.outcomes import vocabulary as v
from cradle.outcomes.instruments import REGISTRY
from cradle.stats import describe, funnel
from cradle.stats.change import InstrumentRule, change_intervals, summary_of
from cradle.stats.disclosure import SUPPRESSED, DisclosurePolicy

from .data import Extract
from .presenter import Presenter

ETHNIC_GROUPS = (
    ("White", "ABC"), ("Mixed", "DEFG"), ("Asian or Asian British", "HJKL"),
    ("Black or Black British", "MNP"), ("Other ethnic groups", "RS"), ("Not stated", "Z"),
)
YES_NO = ((True, "Yes"), (False, "No"), (None, "Not known"))


@dataclass
class Row:
    label: str
    count: str
    percent: str | None
    rank: int | None = None


@dataclass
class Section:
    key: str
    title: str
    denominator: str
    rows: list[Row]
    total: str
    ranked: bool = False


@dataclass
class Figure:
    key: str
    title: str
    value: str | None
    people: str
    note: str


@dataclass
class InstrumentOutcome:
    code: str
    name: str
    cases_with_baseline: str
    pairs: str
    completion: str | None
    mean_before: str | None
    mean_after: str | None
    mean_change: str | None
    mean_change_ci: str | None
    effect_size: str | None
    effect_size_ci: str | None
    reliably_improved: str | None
    no_reliable_change: str | None
    reliably_deteriorated: str | None
    clinically_significant: str | None
    direction: str


@dataclass
class PooledReport:
    start: str
    end: str
    teams_pooled: int
    teams_with_referrals: int
    protected: bool
    policy: DisclosurePolicy | None
    sections: list[Section] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    outcomes: list[InstrumentOutcome] = field(default_factory=list)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


# --- sections -------------------------------------------------------------------------------

def _section(presenter: Presenter, key: str, title: str, denominator: str,
             labelled_counts: list[tuple[str, int]], *, ranked: bool = False) -> Section:
    counts = [count for _label, count in labelled_counts]
    shown, total = presenter.table(key, labelled_counts)
    whole = sum(counts)
    rows = [Row(label, cell, presenter.percent(count, whole, cell, total))
            for (label, count), cell in zip(labelled_counts, shown, strict=True)]
    return Section(key, title, denominator, rows, total, ranked)


def _rank_as_shown(section: Section) -> None:
    """Order and rank rows by the counts as shown (competition ranking; a hidden count ranks
    below every shown one), so that neither the order nor the ranks tell apart counts that
    protection has made look the same."""
    def shown(row: Row) -> int:
        return -1 if row.count == SUPPRESSED else int(row.count)

    section.rows.sort(key=lambda row: (-shown(row), row.label))
    for position, row in enumerate(section.rows, start=1):
        previous = section.rows[position - 2] if position > 1 else None
        row.rank = (previous.rank if previous is not None and shown(previous) == shown(row)
                    else position)


def _labelled(counts: Mapping, pairs, *, keep_empty: bool = True) -> list[tuple[str, int]]:
    rows = [(label, counts.get(key, 0)) for key, label, *_ in pairs]
    return rows if keep_empty else [(label, n) for label, n in rows if n]


def build_report(data: Extract, *, policy: DisclosurePolicy | None,
                 teams_pooled: int, presenter: Presenter | None = None) -> PooledReport:
    """Every figure of one release. ``presenter`` decides what is shown (``Presenter(policy)``
    when not given); ``cradle.pooled.families`` passes one per release of a family."""
    show = presenter if presenter is not None else Presenter(policy)
    report = PooledReport(start=data.scope.start.isoformat(), end=data.scope.end.isoformat(),
                          teams_pooled=teams_pooled, teams_with_referrals=data.teams_with_data,
                          protected=policy is not None, policy=policy)
    referrals = "referrals made in the period"
    add = report.sections.append
    add(_section(show, "referrers", "Who referred", referrals,
                 _labelled(data.referrer_types, v.REFERRER_TYPES)))
    ages = describe.age_band_counts([])
    for age, n in data.primary_caregiver_ages.items():
        ages[describe.age_band(age)] += n
    add(_section(show, "caregiver_age", "Age of the primary caregiver at referral",
                 "referrals in the period with a caregiver recorded (the first recorded)",
                 list(ages.items())))
    groups = [(name, sum(data.primary_caregiver_ethnicity.get(code, 0) for code in codes))
              for name, codes in ETHNIC_GROUPS]
    add(_section(show, "ethnicity", "Ethnic group of the primary caregiver",
                 "referrals in the period with a caregiver recorded (the first recorded)",
                 groups))
    add(_section(show, "single_caregiver", "Single caregiver household", referrals,
                 _labelled(data.single_caregiver, YES_NO)))
    add(_section(show, "first_time_parent", "First-time parent", referrals,
                 _labelled(data.first_time_parent, YES_NO)))
    factor_labels = {key: label for key, label, _domain in v.RISK_FACTORS}
    ranked = describe.ranked_counts({key: n for key, n in data.risk_factors.items() if n})
    risk_section = _section(
        show, "risk_factors", "Risk factors, most common first",
        "referrals made in the period (a referral can have several risk factors)",
        [(factor_labels.get(item.label, item.label), item.count) for item in ranked],
        ranked=True)
    # Percentages of referrals, not of the factor total.
    referrals_shown = show.count("referrals", data.referrals)
    for row, item in zip(risk_section.rows, ranked, strict=True):
        row.percent = show.percent(item.count, data.referrals, row.count, referrals_shown)
    risk_section.total = referrals_shown
    _rank_as_shown(risk_section)
    add(risk_section)
    add(_section(show, "decisions", "Referral decisions", referrals,
                 _labelled(data.decisions, (*v.DECISIONS, ("", "Not decided yet")))))
    add(_section(show, "attendance", "Contacts and attendance",
                 "contacts in the period", _labelled(data.contact_outcomes, v.CONTACT_OUTCOMES)))
    add(_section(show, "discharge_reasons", "Episodes ended, and why",
                 "episodes ended in the period",
                 _labelled(data.discharge_reasons, v.DISCHARGE_REASONS)))
    add(_section(show, "interventions", "Interventions delivered",
                 "episodes ended in the period (an episode can have several)",
                 _labelled(data.interventions, directory_vocabulary.INTERVENTIONS,
                           keep_empty=False)))
    add(_section(show, "trained", "Professionals trained, by profession",
                 "attendees of training events in the period (an event can reach several "
                 "professions)",
                 _labelled(data.trained_by_profession, directory_vocabulary.PROFESSIONS,
                           keep_empty=False)))
    report.figures = _figures(data, show)
    report.outcomes = [outcome for code in sorted(REGISTRY)
                       if (outcome := _instrument_outcome(code, data, show)) is not None]
    return report


def _figures(data: Extract, show: Presenter) -> list[Figure]:
    quartiles = describe.quartiles_of_counts(data.waits)
    n_waits = sum(data.waits.values())
    attended = data.contact_outcomes.get("attended", 0)
    missed = data.contact_outcomes.get("did_not_attend", 0)
    referrals = show.count("referrals", data.referrals)
    waits = show.count("waits", n_waits)
    booked = show.count("attended_or_missed", attended + missed)
    events = show.count("training_events", data.training_events)

    def wait(value: float | None) -> str | None:
        return show.summary("waits", value, n_waits, waits, 0)

    middle = None
    if quartiles is not None:
        lower, upper = wait(quartiles.lower), wait(quartiles.upper)
        middle = SUPPRESSED if SUPPRESSED in (lower, upper) else f"{lower} to {upper}"
    return [
        Figure("referrals", "Referrals", referrals, referrals, "referrals made in the period"),
        Figure("wait_median", "Median wait from referral to first attended contact (days)",
               wait(quartiles.median if quartiles else None), waits,
               "accepted referrals in the period that have had a contact"),
        Figure("wait_quartiles", "Middle half of waits (days, lower and upper quartile)",
               middle, waits, "accepted referrals in the period that have had a contact"),
        Figure("dna_rate", "Did-not-attend rate (%)",
               show.percent(missed, attended + missed, show.count("did_not_attend", missed),
                            booked),
               booked,
               "contacts in the period that were attended or not attended (cancellations "
               "excluded)"),
        Figure("training_events", "Training events", events, events,
               "training events in the period"),
        Figure("professionals_trained", "Professionals trained",
               show.count("professionals_trained", data.professionals_trained), events,
               "attendees of training events in the period"),
    ]


def rule_for(code: str) -> InstrumentRule:
    instrument = REGISTRY[code]
    return InstrumentRule(
        direction=instrument.direction,
        reliable_change=(instrument.reliable_change.threshold
                         if instrument.reliable_change else None),
        cutoff=instrument.cutoff.threshold if instrument.cutoff else None,
        cutoff_rule=instrument.cutoff.rule if instrument.cutoff else "at_or_above")


def _instrument_outcome(code: str, data: Extract, show: Presenter) -> InstrumentOutcome | None:
    sums = data.change_of(code)
    if not sums:
        return None
    summary = summary_of(sums, rule_for(code))
    n = summary.pairs
    key = f"outcome:{code}"
    n_shown = show.count(f"{key}:pairs", n)

    def share(count: int | None, whole: int | None, name: str) -> str | None:
        if count is None or whole is None:
            return None
        return show.percent(count, whole, show.count(f"{key}:{name}", count),
                            show.count(f"{key}:{name}_of", whole))

    def mean(value: float | None) -> str | None:
        return show.summary(key, value, n, n_shown, mean=True)

    # Intervals from the count as published: with the true n their widths would give it away.
    mean_ci = dz_ci = None
    if summary.sd_change is not None:
        mean_ci, dz_ci = change_intervals(summary.mean_change, summary.sd_change,
                                          max(show.published_people(n), 2))
    reliable = [None, None, None]
    if summary.reliably_improved is not None:
        trio = [("improved", summary.reliably_improved),
                ("no_change", summary.no_reliable_change),
                ("deteriorated", summary.reliably_deteriorated)]
        # One table with the pairs as its total, so the three cannot be worked out from it.
        cells, total = show.table(f"{key}:reliable", trio)
        reliable = [show.percent(count, n, cell, total)
                    for (_name, count), cell in zip(trio, cells, strict=True)]
    instrument = REGISTRY[code]
    return InstrumentOutcome(
        code=code, name=instrument.name,
        cases_with_baseline=show.count(f"{key}:with_baseline", summary.cases_with_baseline),
        pairs=n_shown,
        completion=share(n, summary.cases_with_baseline, "completion"),
        mean_before=mean(summary.mean_before),
        mean_after=mean(summary.mean_after),
        mean_change=mean(summary.mean_change),
        mean_change_ci=None if mean_ci is None else _interval_text(
            mean(mean_ci.low), mean(mean_ci.high)),
        effect_size=show.summary(key, summary.effect_size_dz, n, n_shown, 2),
        effect_size_ci=None if dz_ci is None else _interval_text(
            show.summary(key, dz_ci.low, n, n_shown, 2),
            show.summary(key, dz_ci.high, n, n_shown, 2)),
        reliably_improved=reliable[0],
        no_reliable_change=reliable[1],
        reliably_deteriorated=reliable[2],
        clinically_significant=share(summary.clinically_significant, summary.cases_at_baseline,
                                     "clinically_significant"),
        direction="lower scores are better" if instrument.direction == "higher_is_worse"
        else "higher scores are better",
    )


def _interval_text(low: str | None, high: str | None) -> str | None:
    if low is None or high is None:
        return None
    return SUPPRESSED if SUPPRESSED in (low, high) else f"{low} to {high}"


# --- benchmarking between teams -------------------------------------------------------------

@dataclass
class TeamFunnel:
    """The funnel plot's teams and limits, and how many teams it leaves out because their
    counts are hidden (their point would show them)."""

    plot: funnel.Funnel | None
    hidden_teams: int = 0


def team_funnel(data: Extract, code: str, *, own_team: int | None = None,
                policy: DisclosurePolicy | None = None,
                tiebreak: Callable[[str], str] | None = None) -> TeamFunnel | None:
    """Each team's reliable-improvement rate on one instrument against the pooled rate. Teams
    are keyed by their id as text; the web layer decides whose names the viewer may see.

    With a ``policy`` (a team looking at the others) every team but ``own_team`` is shown by
    its protected counts: pairs and improvements rounded, a team with either hidden left out,
    and the pooled rate, limits and classifications computed from what is shown, so that no
    point, limit or axis gives an exact count away. Teams are then listed own team first, then
    by their shown counts, ties in the order of ``tiebreak(key)`` (a keyed hash), never by id."""
    rule = rule_for(code)
    if rule.reliable_change is None:
        return None
    per_team = {team_id: sums for (team_id, instrument), sums in data.change.items()
                if instrument == code and sums.pairs}
    counts, hidden = [], 0
    for team_id, sums in sorted(per_team.items()):
        summary = summary_of(sums, rule)
        events, n = summary.reliably_improved or 0, summary.pairs
        if policy is not None and team_id != own_team:
            events, n = policy.rounded(events), policy.rounded(n)
            if events is None or n is None:
                hidden += 1
                continue
        counts.append(funnel.TeamCount(str(team_id), events, n))
    if policy is not None:
        order = tiebreak or (lambda key: "")
        counts.sort(key=lambda t: (t.key != str(own_team), -t.denominator, -t.events,
                                   order(t.key)))
    return TeamFunnel(funnel.funnel(counts) if counts else None, hidden)
