"""The pooled report: every figure of the portal from an `Extract`, computed by `cradle.stats`
and either shown as it is (a team's own figures; network analysts) or protected by disclosure
control (everything that leaves a team). Pure: no Django imports.

Every section states its denominator; the report states its period and how many teams it pools.
Figures are strings ready to show (and to download): protected counts are "0", "*" or a
multiple of the rounding base; percentages come from the shown counts; a mean, median or
effect size resting on too few people is "*".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cradle.directory import vocabulary as directory_vocabulary
from cradle.outcomes import vocabulary as v
from cradle.outcomes.instruments import REGISTRY
from cradle.stats import describe, funnel
from cradle.stats.change import InstrumentRule, ScorePair, summarise_change
from cradle.stats.disclosure import SUPPRESSED, DisclosurePolicy, protect_table

from .data import Extract

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


# --- formatting -----------------------------------------------------------------------------

def _plain_percent(numerator: int, denominator: int) -> str | None:
    return None if not denominator else f"{numerator * 100 / denominator:.1f}"


def _plain_number(value: float | None, places: int = 1) -> str | None:
    return None if value is None else f"{value:.{places}f}"


class Presenter:
    """Turns true counts into what is shown: unchanged, or protected by a policy."""

    def __init__(self, policy: DisclosurePolicy | None):
        self.policy = policy

    def counts(self, counts: list[int]) -> tuple[list[str], str]:
        """A one-column table of counts and its total, with secondary suppression."""
        if self.policy is None:
            return [str(c) for c in counts], str(sum(counts))
        if not counts:
            return [], "0"
        shown = protect_table([[c] for c in counts], threshold=self.policy.threshold,
                              rounding=self.policy.rounding)
        return [row[0] for row in shown["cells"]], shown["grand_total"]

    def count(self, count: int) -> str:
        return str(count) if self.policy is None else self.policy.protect_count(count)

    def percent(self, numerator: int, denominator: int, shown: str | None = None,
                shown_total: str | None = None) -> str | None:
        if self.policy is None:
            return _plain_percent(numerator, denominator)
        if SUPPRESSED in (shown, shown_total):
            return SUPPRESSED
        return self.policy.percentage(numerator, denominator)

    def summary(self, value: float | None, people: int, places: int = 1) -> str | None:
        if self.policy is None:
            return _plain_number(value, places)
        return self.policy.summary(value, people, places)


# --- sections -------------------------------------------------------------------------------

def _section(presenter: Presenter, key: str, title: str, denominator: str,
             labelled_counts: list[tuple[str, int]], *, ranked: bool = False) -> Section:
    counts = [count for _label, count in labelled_counts]
    shown, total = presenter.counts(counts)
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
                 teams_pooled: int) -> PooledReport:
    show = Presenter(policy)
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
    for row, item in zip(risk_section.rows, ranked, strict=True):
        row.percent = show.percent(item.count, data.referrals, row.count,
                                   show.count(data.referrals))
    risk_section.total = show.count(data.referrals)
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
    quartiles = describe.quartiles(data.waits_days)
    n_waits = len(data.waits_days)
    attended = data.contact_outcomes.get("attended", 0)
    missed = data.contact_outcomes.get("did_not_attend", 0)
    return [
        Figure("referrals", "Referrals", show.count(data.referrals), show.count(data.referrals),
               "referrals made in the period"),
        Figure("wait_median", "Median wait from referral to first attended contact (days)",
               show.summary(quartiles.median if quartiles else None, n_waits, 0),
               show.count(n_waits), "accepted referrals in the period that have had a contact"),
        Figure("wait_quartiles", "Middle half of waits (days, lower and upper quartile)",
               None if quartiles is None or show.summary(0, n_waits) == SUPPRESSED
               and show.policy is not None else
               f"{show.summary(quartiles.lower, n_waits, 0)} to "
               f"{show.summary(quartiles.upper, n_waits, 0)}",
               show.count(n_waits), "accepted referrals in the period that have had a contact"),
        Figure("dna_rate", "Did-not-attend rate (%)",
               show.percent(missed, attended + missed, show.count(missed),
                            show.count(attended + missed)),
               show.count(attended + missed),
               "contacts in the period that were attended or not attended (cancellations "
               "excluded)"),
        Figure("training_events", "Training events", show.count(data.training_events),
               show.count(data.training_events), "training events in the period"),
        Figure("professionals_trained", "Professionals trained",
               show.count(data.professionals_trained), show.count(data.training_events),
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
    pairs = [ScorePair(p.baseline, p.discharge) for p in data.measure_pairs
             if p.instrument == code]
    if not pairs:
        return None
    summary = summarise_change(pairs, rule_for(code))
    n = summary.pairs

    def share(count: int | None, whole: int | None) -> str | None:
        if count is None or whole is None:
            return None
        return show.percent(count, whole, show.count(count), show.count(whole))

    instrument = REGISTRY[code]
    return InstrumentOutcome(
        code=code, name=instrument.name,
        cases_with_baseline=show.count(summary.cases_with_baseline),
        pairs=show.count(n),
        completion=share(n, summary.cases_with_baseline),
        mean_before=show.summary(summary.mean_before, n),
        mean_after=show.summary(summary.mean_after, n),
        mean_change=show.summary(summary.mean_change, n),
        mean_change_ci=(None if summary.mean_change_ci is None else
                        _ci_text(show, summary.mean_change_ci, n, 1)),
        effect_size=show.summary(summary.effect_size_dz, n, 2),
        effect_size_ci=(None if summary.effect_size_ci is None else
                        _ci_text(show, summary.effect_size_ci, n, 2)),
        reliably_improved=share(summary.reliably_improved, n),
        no_reliable_change=share(summary.no_reliable_change, n),
        reliably_deteriorated=share(summary.reliably_deteriorated, n),
        clinically_significant=share(summary.clinically_significant, summary.cases_at_baseline),
        direction="lower scores are better" if instrument.direction == "higher_is_worse"
        else "higher scores are better",
    )


def _ci_text(show: Presenter, ci, n: int, places: int) -> str:
    low, high = show.summary(ci.low, n, places), show.summary(ci.high, n, places)
    return SUPPRESSED if SUPPRESSED in (low, high) else f"{low} to {high}"


# --- benchmarking between teams -------------------------------------------------------------

def team_funnel(data: Extract, code: str) -> funnel.Funnel | None:
    """Each team's reliable-improvement rate on one instrument against the pooled rate. Teams
    are keyed by their id as text; the web layer decides whose names the viewer may see."""
    rule = rule_for(code)
    if rule.reliable_change is None:
        return None
    per_team: dict[int, list[ScorePair]] = {}
    for pair in data.measure_pairs:
        if pair.instrument == code and pair.discharge is not None:
            per_team.setdefault(pair.team_id, []).append(ScorePair(pair.baseline,
                                                                   pair.discharge))
    counts = []
    for team_id, pairs in sorted(per_team.items()):
        summary = summarise_change(pairs, rule)
        counts.append(funnel.TeamCount(str(team_id), summary.reliably_improved or 0,
                                       summary.pairs))
    return funnel.funnel(counts) if counts else None
