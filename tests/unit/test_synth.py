"""The synthetic data generator (pure, no database): same seed, same rows; skewed team sizes;
every value within its vocabulary and its instrument's ranges; plausible shares and score
trajectories; every invariant the database's constraints hold."""

from __future__ import annotations

import datetime
import os
import statistics
import subprocess
import sys
from collections import Counter

import pytest

from cradle.directory import vocabulary as directory_vocabulary
from cradle.outcomes import vocabulary as v
from cradle.outcomes.identifiers import is_valid_nhs_number
from cradle.outcomes.instruments import REGISTRY, reliable_change, score
from cradle.outcomes.synth import profiles
from cradle.outcomes.synth.generate import Spec, generate, team_plans

END = datetime.date(2025, 12, 31)
SPEC = Spec(teams=12, years=3, seed=7, end=END)


@pytest.fixture(scope="module")
def teams():
    return list(generate(SPEC))


def rows(teams, name):
    return [row for data in teams for row in getattr(data, name)]


def test_the_same_seed_gives_the_same_rows(teams):
    again = list(generate(SPEC))
    assert again == teams
    assert [data.counts() for data in again] == [data.counts() for data in teams]


def test_the_same_seed_gives_the_same_rows_in_another_process():
    """Nothing depends on Python's per-process hash salt (set iteration order and the like)."""
    code = ("import datetime, hashlib; from cradle.outcomes.synth.generate import Spec, generate;"
            " print(hashlib.sha256(repr(list(generate(Spec(teams=3, years=2, seed=4, "
            "end=datetime.date(2025, 6, 30))))).encode()).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                              text=True, env={**os.environ, "PYTHONHASHSEED": salt}).stdout
               for salt in ("1", "2")}
    assert len(digests) == 1 and len(digests.pop().strip()) == 64


def test_another_seed_gives_other_rows(teams):
    other = list(generate(Spec(teams=12, years=3, seed=8, end=END)))
    assert [data.counts() for data in other] != [data.counts() for data in teams]


def test_a_team_is_the_same_whatever_else_is_made():
    """Teams are drawn independently: asking for more teams does not change the first ones."""
    few = list(generate(Spec(teams=2, years=2, seed=3, end=END)))
    plans_more = team_plans(Spec(teams=5, years=2, seed=3, end=END))
    assert [team.team.name for team in few] == [
        f"Synthetic team {n:03d} (not a real service)" for n in (1, 2)]
    assert len(plans_more) == 5


@pytest.mark.parametrize("bad", [
    {"teams": 0}, {"years": 0}, {"referrals_per_year": 0}, {"teams": 1000},
    {"teams": 2.5}, {"seed": "1"}, {"teams": True},
])
def test_a_bad_spec_is_refused_naming_the_argument(bad):
    arguments = {"teams": 2, "years": 1, "seed": 0, "end": END} | bad
    with pytest.raises(ValueError, match=next(iter(bad))):
        Spec(**arguments)


def test_team_sizes_are_skewed_around_the_mean():
    spec = Spec(teams=60, years=4, seed=11, end=END, referrals_per_year=100)
    sizes = sorted(sum(plan.referrals_by_year) / spec.years for plan in team_plans(spec))
    mean = statistics.mean(sizes)
    assert 85 <= mean <= 115  # the teams average the requested referrals per year
    assert statistics.median(sizes) < mean  # most teams are smaller than the mean ...
    assert sizes[-1] > 3 * statistics.median(sizes)  # ... and a few are much larger
    assert sizes[0] >= profiles.MIN_REFERRALS_PER_YEAR


def test_teams_are_clearly_labelled_as_synthetic(teams):
    for data in teams:
        assert data.team.name.startswith("Synthetic team ")
        assert data.team.name.endswith("(not a real service)")
        assert "Not a real service" in data.team.source_note
        assert data.team.nation in {"England", "Wales", "Scotland", "Northern Ireland"}
        assert data.team.operating_from == SPEC.start


def test_every_value_is_in_its_vocabulary(teams):
    def within(values, pairs):
        assert set(values) <= set(v.keys(pairs))

    within((r.referrer_type for r in rows(teams, "referrals")), v.REFERRER_TYPES)
    within((r.decision for r in rows(teams, "referrals") if r.decision), v.DECISIONS)
    within((c.relationship for c in rows(teams, "caregivers")), v.RELATIONSHIPS)
    within((c.ethnic_category for c in rows(teams, "caregivers")), v.ETHNIC_CATEGORIES)
    assert {f.factor for f in rows(teams, "risk_factors")} <= set(v.RISK_FACTOR_DOMAIN)
    within((e.discharge_reason for e in rows(teams, "episodes") if e.discharge_reason),
           v.DISCHARGE_REASONS)
    within((i.intervention for i in rows(teams, "interventions")),
           directory_vocabulary.INTERVENTIONS)
    within((c.mode for c in rows(teams, "contacts")), v.CONTACT_MODES)
    within((c.outcome for c in rows(teams, "contacts")), v.CONTACT_OUTCOMES)
    within((m.timepoint for m in rows(teams, "measures")), v.TIMEPOINTS)
    within((m.entered_as for m in rows(teams, "measures")), v.MEASURE_ENTRY)
    assert {m.instrument for m in rows(teams, "measures")} <= set(REGISTRY)
    within((w.kind for w in rows(teams, "workforce")), v.WORKFORCE_KINDS)
    professions = set(v.keys(directory_vocabulary.PROFESSIONS))
    for activity in rows(teams, "workforce"):
        assert activity.audience_professions
        assert set(activity.audience_professions) <= professions
        assert len(set(activity.audience_professions)) == len(activity.audience_professions)
        assert activity.attendees >= 1
        assert (activity.topic != "") == (activity.kind == "training")
    for feedback in rows(teams, "feedback"):
        questions, answers = v.FEEDBACK_FORMS[feedback.kind]
        assert feedback.answers
        assert set(feedback.answers) <= set(questions)
        assert set(feedback.answers.values()) <= set(answers)


def test_all_the_kinds_of_record_are_made(teams):
    totals = Counter()
    for data in teams:
        totals.update(data.counts())
    assert all(totals[name] > 0 for name in totals), totals
    assert {f.kind for f in rows(teams, "feedback")} == {"parent", "referrer"}
    assert {w.kind for w in rows(teams, "workforce")} == set(v.keys(v.WORKFORCE_KINDS))
    assert {m.timepoint for m in rows(teams, "measures")} == set(v.keys(v.TIMEPOINTS))
    assert {m.entered_as for m in rows(teams, "measures")} == set(v.keys(v.MEASURE_ENTRY))


def test_the_rows_keep_the_database_rules(teams):
    """What the models' constraints require, row by row (the loader does not validate)."""
    for data in teams:
        references = [case.team_reference for case in data.cases]
        assert len(set(references)) == len(references)
        for case in data.cases:
            assert case.team_reference and not is_valid_nhs_number(case.team_reference)
            assert len(case.team_reference) <= 40
            year, month = map(int, case.baby_birth_month.split("-"))
            assert 2000 <= year and 1 <= month <= 12
            if case.birth_month_is_due_month:
                assert (year, month) > (END.year, END.month)
        for referral in data.referrals:
            assert SPEC.start <= referral.referred_on <= END
            assert bool(referral.decision) == (referral.decided_on is not None)
            if referral.decided_on:
                assert referral.referred_on <= referral.decided_on <= END
        assert len({(f.referral, f.factor) for f in data.risk_factors}) == len(data.risk_factors)
        assert {f.referral for f in data.risk_factors} == set(range(len(data.referrals)))
        for caregiver in data.caregivers:
            assert caregiver.age_at_referral is None or 10 <= caregiver.age_at_referral <= 99
        for episode in data.episodes:
            referral = data.referrals[episode.referral]
            assert referral.decision == "accepted" and referral.case == episode.case
            assert referral.decided_on <= episode.started_on <= END
            assert (episode.ended_on is None) == (episode.discharge_reason == "")
            if episode.ended_on:
                assert episode.started_on <= episode.ended_on <= END
        pairs = [(i.episode, i.intervention) for i in data.interventions]
        assert len(set(pairs)) == len(pairs)
        for contact in data.contacts:
            episode = data.episodes[contact.episode]
            assert episode.started_on <= contact.on <= (episode.ended_on or END)
            assert 0 <= contact.minutes <= 1440
            if contact.outcome != "attended":
                assert contact.minutes == 0
                assert not contact.caregivers_attended and not contact.baby_attended
        for measure in data.measures:
            episode = data.episodes[measure.episode]
            assert measure.case == episode.case
            assert episode.started_on <= measure.administered_on <= END
            assert (measure.items is not None) == (measure.entered_as == "items")
        for feedback in data.feedback:
            assert data.episodes[feedback.episode].started_on <= feedback.received_on <= END


def test_every_measure_is_scored_by_the_instrument_engine_within_its_ranges(teams):
    for measure in rows(teams, "measures"):
        instrument = REGISTRY[measure.instrument]
        if measure.entered_as == "items":
            for item, value in zip(instrument.items, measure.items, strict=True):
                assert value is None or item.minimum <= value <= item.maximum
            result = score(measure.instrument, items=measure.items)
        elif measure.entered_as == "total":
            result = score(measure.instrument, total=measure.total)
        else:
            result = score(measure.instrument, subscales=measure.subscales)
        low, high = instrument.total_range
        assert low <= measure.total <= high
        assert (measure.total, measure.subscales, measure.band, measure.caseness,
                measure.flags, measure.complete) == (
            result.total, result.subscales, result.band or "", result.caseness,
            list(result.flags), result.complete)


def test_some_items_are_missing_and_some_risk_items_flagged(teams):
    measures = rows(teams, "measures")
    incomplete = [m for m in measures if m.items is not None and None in m.items]
    assert incomplete
    assert {m.instrument for m in incomplete} <= {"core10", "gbo"}  # allowed by their rules
    flagged = [m for m in measures if m.flags]
    with_items = [m for m in measures if m.instrument in ("phq9", "epds", "core10")
                  and m.entered_as == "items"]
    assert 0.03 < len(flagged) / len(with_items) < 0.45


def _pairs(teams, code):
    """(baseline, discharge) totals of the instrument, per episode."""
    pairs = []
    for data in teams:
        by_episode = {}
        for m in data.measures:
            if m.instrument == code and m.timepoint in ("baseline", "discharge"):
                by_episode.setdefault(m.episode, {})[m.timepoint] = m.total
        pairs += [(t["baseline"], t["discharge"]) for t in by_episode.values() if len(t) == 2]
    return pairs


def test_score_trajectories_mostly_improve_some_do_not():
    teams = list(generate(Spec(teams=16, years=3, seed=5, end=END)))
    checked = 0
    for code in ("phq9", "gad7", "epds", "core10"):
        pairs = _pairs(teams, code)
        if len(pairs) < 40:
            continue
        checked += 1
        changes = Counter(reliable_change(code, before, after) for before, after in pairs)
        shares = {kind: n / len(pairs) for kind, n in changes.items()}
        assert 0.35 < shares["improved"] < 0.85, (code, shares)
        assert shares["no reliable change"] > 0.1, (code, shares)
        assert 0.005 < shares.get("deteriorated", 0) < 0.15, (code, shares)
    assert checked >= 2
    # Higher is better on WEMWBS, PIR-GAS and GBO: they mostly rise.
    for code in ("wemwbs", "pirgas", "gbo"):
        pairs = _pairs(teams, code)
        if pairs:
            assert sum(after > before for before, after in pairs) / len(pairs) > 0.5, code


def test_most_baselines_are_clinical_cases(teams):
    baselines = [m for m in rows(teams, "measures")
                 if m.timepoint == "baseline" and m.caseness is not None]
    share = sum(m.caseness for m in baselines) / len(baselines)
    assert 0.5 < share < 0.97


def test_some_closed_episodes_have_no_discharge_measure(teams):
    closed = {(data.team.number, i) for data in teams
              for i, episode in enumerate(data.episodes) if episode.ended_on}
    measured = {(data.team.number, m.episode) for data in teams for m in data.measures
                if m.timepoint == "discharge"}
    share_missing = len(closed - measured) / len(closed)
    assert 0.1 < share_missing < 0.7


def test_caregivers_look_like_a_uk_referral_population(teams):
    caregivers = rows(teams, "caregivers")
    aged = [c.age_at_referral for c in caregivers if c.age_at_referral is not None]
    assert 0.05 < sum(age <= 20 for age in aged) / len(aged) < 0.2
    assert 25 <= statistics.median(aged) <= 35
    ethnic = Counter(c.ethnic_category for c in caregivers)
    assert 0.55 < ethnic["A"] / len(caregivers) < 0.8
    assert len(ethnic) >= 12
    relationships = Counter(c.relationship for c in caregivers)
    assert relationships.most_common(1)[0][0] == "mother"


def test_perinatal_mental_illness_is_the_commonest_risk(teams):
    factors = Counter(f.factor for f in rows(teams, "risk_factors"))
    assert factors.most_common(1)[0][0] == "perinatal_mental_illness"
    domains = {v.RISK_FACTOR_DOMAIN[key] for key in factors}
    assert domains == set(v.keys(v.RISK_DOMAINS))
    referrals = rows(teams, "referrals")
    assert 0.2 < sum(r.single_caregiver_household is True for r in referrals) / len(referrals)
    young = {(data.team.number, f.referral) for data in teams for f in data.risk_factors
             if f.factor == "young_parent"}
    assert young


def test_decisions_waits_and_attendance_are_plausible(teams):
    referrals = rows(teams, "referrals")
    decided = Counter(r.decision for r in referrals if r.decision)
    assert decided.most_common(1)[0][0] == "accepted"
    assert any(not r.decision for r in referrals)  # a few await a decision at the end date
    waits = [(e.started_on - data.referrals[e.referral].referred_on).days
             for data in teams for e in data.episodes]
    assert 10 <= statistics.median(waits) <= 120
    contacts = rows(teams, "contacts")
    outcomes = Counter(c.outcome for c in contacts)
    assert 0.03 < outcomes["did_not_attend"] / len(contacts) < 0.25
    assert outcomes["attended"] / len(contacts) > 0.6
    assert any(e.ended_on is None for e in rows(teams, "episodes"))  # some still open


def test_the_generator_does_not_import_django():
    code = ("import sys, datetime; from cradle.outcomes.synth import generate; "
            "list(generate.generate(generate.Spec(teams=1, years=1, seed=1, "
            "end=datetime.date(2025, 1, 1)))); "
            "sys.exit(any(name.split('.')[0] == 'django' for name in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
