"""Is a service a specialised parent-infant relationship team?

The definition comes from the Rare Jewels report (Parent-Infant Foundation, 2019): seven
characteristics every team shares (section 7) and five reasons a service doing parent-infant
work was still not counted as a team (section 9). This module is pure Python so the rules can
be read, tested and reused without Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from . import vocabulary


class Outcome(StrEnum):
    TEAM = "team"
    NOT_A_TEAM = "not_a_team"
    NOT_ENOUGH_INFORMATION = "not_enough_information"


class Status(StrEnum):
    """For an exclusion, MET means the exclusion applies (which rules the service out)."""

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    kind: str  # "criterion" | "exclusion"
    question: str  # answered yes/no by a coordinator; for an exclusion "yes" means it applies
    source: str


# Each row: key, short label, the yes/no question a coordinator answers (for an exclusion "yes"
# means it applies), and what the summary says when that item rules a service out.
_CRITERIA_ROWS = (
    ("multidisciplinary_with_psychologist_or_psychotherapist",
     "Multidisciplinary, with a psychologist or psychotherapist",
     "Is the service a team of staff from two or more professions that includes a clinical "
     "psychologist and/or a child psychotherapist?",
     "it is not a multidisciplinary team with a clinical psychologist or child psychotherapist"),
    ("direct_relationship_support",
     "Direct relationship support for families",
     "Does the service itself support families who need specialised help with the "
     "relationship between parent and baby?",
     "it does not offer direct relationship support to families"),
    ("individualised_programme_after_assessment",
     "Individual programme after assessment",
     "Does the service assess each family and then offer a programme of support tailored to "
     "that family's needs?",
     "it does not offer an individual programme of support after assessment"),
    ("dyad_or_triad_focus",
     "Works with parent and baby together",
     "Does the service work with the baby and parent(s) together (the dyad or triad), not "
     "only one of them?",
     "it does not work with parent and baby together"),
    ("relationship_referral_pathway",
     "Referral for relationship concerns",
     "Can families be referred because of concerns about their early relationship, without "
     "anyone needing a clinical diagnosis?",
     "it has no referral pathway for relationship concerns"),
    ("accepts_conception_or_birth_to_two",
     "Accepts from pregnancy or birth to age 2",
     "Does the service accept referrals from pregnancy (conception) or birth up to at least "
     "the child's second birthday?",
     "it does not accept referrals from pregnancy or birth up to age 2"),
    ("workforce_experts_and_champions",
     "Trains and advises the local workforce",
     "Does the team offer training, consultation and/or supervision to other local "
     "professionals, and advice to system leaders and commissioners?",
     "it does not train or advise the local workforce"),
)
_EXCLUSION_ROWS = (
    ("no_qualified_mental_health_professional",
     "No qualified mental health professional",
     "Does the service have no qualified mental health professional (such as a clinical "
     "psychologist, psychotherapist, psychiatrist or mental health nurse)?",
     "it has no qualified mental health professional"),
    ("practitioners_within_wider_remit_team",
     "A few practitioners inside a wider team",
     "Is the service just a few practitioners inside a team with a wider remit, such as CAMHS "
     "or a perinatal mental health team, rather than a team of its own?",
     "it is a few practitioners inside a wider-remit team (e.g. CAMHS)"),
    ("single_intervention_only",
     "Only one intervention",
     "Does the service deliver only one intervention, rather than a package of support "
     "chosen after assessing each family?",
     "it delivers only a single intervention"),
    ("not_commissioned_for_parent_infant_work",
     "Not commissioned for parent-infant work",
     "Was the service set up and commissioned mainly for something other than parent-infant "
     "relationship work?",
     "it was not commissioned specifically for parent-infant work"),
    ("narrow_group_only",
     "Only a narrow group of families",
     "Does the service only work with a narrow group of families, for example mothers with "
     "perinatal mental illness, or children in care or on a child protection plan?",
     "it only works with a narrow group of families"),
)

CRITERIA: tuple[Criterion, ...] = tuple(
    Criterion(key, label, "criterion", question, "Rare Jewels (2019), section 7")
    for key, label, question, _ in _CRITERIA_ROWS
)
EXCLUSIONS: tuple[Criterion, ...] = tuple(
    Criterion(key, label, "exclusion", question, "Rare Jewels (2019), section 9")
    for key, label, question, _ in _EXCLUSION_ROWS
)
ALL_CRITERIA: tuple[Criterion, ...] = CRITERIA + EXCLUSIONS
CRITERIA_BY_KEY: dict[str, Criterion] = {c.key: c for c in ALL_CRITERIA}
_WHY_NOT_A_TEAM = {row[0]: row[3] for row in _CRITERIA_ROWS + _EXCLUSION_ROWS}

PSYCHOLOGY_OR_PSYCHOTHERAPY: frozenset[str] = frozenset({
    "clinical_psychologist", "child_psychotherapist", "parent_infant_psychotherapist",
    "consultant_psychologist_or_psychotherapist",
})
# Professions whose own qualification is in mental health. Parent-infant practitioners come
# from many backgrounds (often health visiting), so their title alone does not count.
QUALIFIED_MENTAL_HEALTH_PROFESSIONS: frozenset[str] = PSYCHOLOGY_OR_PSYCHOTHERAPY | {
    "psychiatrist", "mental_health_nurse", "family_therapist",
}
PROFESSIONS: tuple[str, ...] = tuple(key for key, _ in vocabulary.PROFESSIONS)
SERVICE_KINDS: tuple[str, ...] = tuple(key for key, _ in vocabulary.SERVICE_KINDS)
# Administrative posts support a team but do not make it multidisciplinary.
_NOT_A_DISCIPLINE = frozenset({"administrator"})
ACCEPTS_FROM: tuple[str, ...] = ("conception", "birth", "later")
MINIMUM_UPPER_AGE_MONTHS = 24


@dataclass(frozen=True)
class ServiceFacts:
    """What is known about a service. Empty or None means "not known yet"."""

    kind: str = "other"
    staffing: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    interventions: frozenset[str] = frozenset()
    accepts_from: str | None = None
    accepts_to_months: int | None = None
    answers: Mapping[str, bool | None] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        # Fail loudly on typos: a misspelt key would otherwise read as "not recorded".
        _check_allowed("kind of service", [self.kind], SERVICE_KINDS)
        _check_allowed("profession", self.staffing, PROFESSIONS)
        _check_allowed("criterion", self.answers, CRITERIA_BY_KEY)
        _check_allowed("accepts_from", [self.accepts_from], (*ACCEPTS_FROM, None, ""))
        if any(wte < 0 for wte in self.staffing.values()):
            raise ValueError("Staffing WTE cannot be negative.")
        if any(not isinstance(answer, bool | None) for answer in self.answers.values()):
            raise ValueError("Recorded answers must be True, False or None.")
        if self.accepts_to_months is not None and self.accepts_to_months < 0:
            raise ValueError("accepts_to_months cannot be negative.")
        # Copy into read-only containers so a frozen ServiceFacts cannot change underneath us.
        # A blank accepts_from (how a form or database stores "not known") means None.
        object.__setattr__(self, "accepts_from", self.accepts_from or None)
        object.__setattr__(self, "staffing", MappingProxyType(dict(self.staffing)))
        object.__setattr__(self, "interventions", frozenset(self.interventions))
        object.__setattr__(self, "answers", MappingProxyType(dict(self.answers)))


def _check_allowed(what: str, values, allowed) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValueError(f"Unknown {what}: {', '.join(unknown)}.")


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    status: Status
    reason: str
    basis: str  # "recorded evidence" | "staffing" | "interventions" | "age range" | ...


@dataclass(frozen=True)
class Classification:
    outcome: Outcome
    results: tuple[CriterionResult, ...]
    summary: str

    def result(self, key: str) -> CriterionResult:
        for result in self.results:
            if result.criterion.key == key:
                return result
        raise KeyError(key)


def _words(key: str) -> str:
    return key.replace("_", " ")


def _recorded(criterion: Criterion, answer: bool) -> CriterionResult:
    if criterion.kind == "exclusion":
        reason = "Recorded: this exclusion applies." if answer else (
            "Recorded: this exclusion does not apply.")
    else:
        reason = "Recorded as met." if answer else "Recorded as not met."
    status = Status.MET if answer else Status.NOT_MET
    return CriterionResult(criterion, status, reason, "recorded evidence")


def _not_recorded(criterion: Criterion, reason: str = "Not recorded yet.") -> CriterionResult:
    return CriterionResult(criterion, Status.UNKNOWN, reason, "not recorded")


def _from_staffing(criterion: Criterion, facts: ServiceFacts) -> CriterionResult:
    staffed = sorted(p for p, wte in facts.staffing.items() if wte > 0)
    if criterion.key == "no_qualified_mental_health_professional":
        qualified = [p for p in staffed if p in QUALIFIED_MENTAL_HEALTH_PROFESSIONS]
        if qualified:
            reason = f"Staff include {', '.join(map(_words, qualified))}."
            return CriterionResult(criterion, Status.NOT_MET, reason, "staffing")
        reason = "No qualified mental health professional is on the staff list."
        return CriterionResult(criterion, Status.MET, reason, "staffing")

    disciplines = [p for p in staffed if p not in _NOT_A_DISCIPLINE]
    psychology = [p for p in staffed if p in PSYCHOLOGY_OR_PSYCHOTHERAPY]
    missing = []
    if len(disciplines) < 2:
        missing.append(f"staff from only {_count(len(disciplines), 'profession', 'professions')}")
    if not psychology:
        missing.append("no clinical psychologist or child psychotherapist")
    if missing:
        reason = f"Staffing shows {' and '.join(missing)}."
        return CriterionResult(criterion, Status.NOT_MET, reason, "staffing")
    reason = (
        f"Staff from {len(disciplines)} professions, "
        f"including {', '.join(map(_words, psychology))}."
    )
    return CriterionResult(criterion, Status.MET, reason, "staffing")


def _from_age_range(criterion: Criterion, facts: ServiceFacts) -> CriterionResult:
    start, end = facts.accepts_from, facts.accepts_to_months
    if start == "later":
        reason = "Accepts referrals only after birth; the definition needs pregnancy or birth."
        return CriterionResult(criterion, Status.NOT_MET, reason, "age range")
    if end is not None and end < MINIMUM_UPPER_AGE_MONTHS:
        reason = f"Accepts referrals only up to {end} months; the definition needs at least age 2."
        return CriterionResult(criterion, Status.NOT_MET, reason, "age range")
    if start is None and end is None:
        return _not_recorded(criterion)
    if start is None:
        return _not_recorded(criterion, f"Accepts up to {end} months; start not recorded yet.")
    if end is None:
        return _not_recorded(criterion, f"Accepts from {start}; upper age not recorded yet.")
    reason = f"Accepts referrals from {start} up to {end} months."
    return CriterionResult(criterion, Status.MET, reason, "age range")


def _from_interventions(criterion: Criterion, facts: ServiceFacts) -> CriterionResult:
    offered = ", ".join(sorted(map(_words, facts.interventions)))
    if len(facts.interventions) == 1:
        reason = f"Offers only one intervention ({offered})."
        return CriterionResult(criterion, Status.MET, reason, "interventions")
    reason = f"Offers {len(facts.interventions)} interventions: {offered}."
    return CriterionResult(criterion, Status.NOT_MET, reason, "interventions")


_DERIVED_FROM_STAFFING = frozenset({
    "multidisciplinary_with_psychologist_or_psychotherapist",
    "no_qualified_mental_health_professional",
})


def _derive(criterion: Criterion, facts: ServiceFacts) -> CriterionResult:
    key = criterion.key
    if key in _DERIVED_FROM_STAFFING and facts.staffing:
        return _from_staffing(criterion, facts)
    if key == "accepts_conception_or_birth_to_two":
        return _from_age_range(criterion, facts)
    if key == "single_intervention_only" and facts.interventions:
        return _from_interventions(criterion, facts)
    if key == "practitioners_within_wider_remit_team":
        if facts.kind == "camhs_specialists":
            reason = "Listed as practitioners inside a CAMHS or similar wider-remit team."
            return CriterionResult(criterion, Status.MET, reason, "kind of service")
        if facts.kind == "team":
            reason = "Listed as a team in its own right."
            return CriterionResult(criterion, Status.NOT_MET, reason, "kind of service")
    # A service listed as child-protection focused is narrow by definition; nothing about
    # other kinds tells us it is broad, so no NOT_MET is derived here.
    if key == "narrow_group_only" and facts.kind == "child_protection_focus":
        reason = "Listed as working only with families in the child protection system."
        return CriterionResult(criterion, Status.MET, reason, "kind of service")
    return _not_recorded(criterion)


def _assess(criterion: Criterion, facts: ServiceFacts) -> CriterionResult:
    answer = facts.answers.get(criterion.key)
    if answer is not None:
        return _recorded(criterion, bool(answer))
    return _derive(criterion, facts)


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _summarise(outcome: Outcome, results: tuple[CriterionResult, ...]) -> str:
    if outcome is Outcome.TEAM:
        return (
            "A specialised parent-infant relationship team: it meets all "
            f"{len(CRITERIA)} criteria and none of the {len(EXCLUSIONS)} exclusions applies."
        )
    if outcome is Outcome.NOT_A_TEAM:
        failing = [r.criterion.key for r in results if _rules_out(r)]
        return f"Not a team: {'; '.join(_WHY_NOT_A_TEAM[key] for key in failing)}."
    unknown = [r.criterion for r in results if r.status is Status.UNKNOWN]
    criteria = sum(c.kind == "criterion" for c in unknown)
    exclusions = len(unknown) - criteria
    counts = [
        _count(criteria, "criterion", "criteria") if criteria else "",
        _count(exclusions, "exclusion", "exclusions") if exclusions else "",
    ]
    verb = "is" if len(unknown) == 1 else "are"
    labels = "; ".join(c.label for c in unknown)
    return (
        f"Not enough information: {' and '.join(filter(None, counts))} {verb} not yet "
        f"recorded ({labels})."
    )


def _rules_out(result: CriterionResult) -> bool:
    if result.criterion.kind == "exclusion":
        return result.status is Status.MET
    return result.status is Status.NOT_MET


def classify(facts: ServiceFacts) -> Classification:
    """Apply the Rare Jewels definition to what is known about one service."""
    results = tuple(_assess(criterion, facts) for criterion in ALL_CRITERIA)
    if any(_rules_out(r) for r in results):
        outcome = Outcome.NOT_A_TEAM
    elif all(r.status is not Status.UNKNOWN for r in results):
        outcome = Outcome.TEAM
    else:
        outcome = Outcome.NOT_ENOUGH_INFORMATION
    return Classification(outcome, results, _summarise(outcome, results))
