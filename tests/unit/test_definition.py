"""The Rare Jewels (2019) definition of a specialised parent-infant relationship team."""

import dataclasses

import pytest

from cradle.directory.definition import (
    ALL_CRITERIA,
    CRITERIA,
    CRITERIA_BY_KEY,
    EXCLUSIONS,
    PSYCHOLOGY_OR_PSYCHOTHERAPY,
    QUALIFIED_MENTAL_HEALTH_PROFESSIONS,
    Classification,
    Outcome,
    ServiceFacts,
    Status,
    classify,
)

CRITERION_KEYS = [
    "multidisciplinary_with_psychologist_or_psychotherapist",
    "direct_relationship_support",
    "individualised_programme_after_assessment",
    "dyad_or_triad_focus",
    "relationship_referral_pathway",
    "accepts_conception_or_birth_to_two",
    "workforce_experts_and_champions",
]
EXCLUSION_KEYS = [
    "no_qualified_mental_health_professional",
    "practitioners_within_wider_remit_team",
    "single_intervention_only",
    "not_commissioned_for_parent_infant_work",
    "narrow_group_only",
]
# Every criterion recorded as met and every exclusion recorded as not applying.
BASELINE = {**dict.fromkeys(CRITERION_KEYS, True), **dict.fromkeys(EXCLUSION_KEYS, False)}

TEAM, NOT_A_TEAM, UNSURE = Outcome.TEAM, Outcome.NOT_A_TEAM, Outcome.NOT_ENOUGH_INFORMATION
MET, NOT_MET, UNKNOWN = Status.MET, Status.NOT_MET, Status.UNKNOWN


def answers(**changes):
    """The baseline answers with some changed; None removes the answer."""
    merged = {**BASELINE, **changes}
    return {key: value for key, value in merged.items() if value is not None}


def classify_answers(**changes) -> Classification:
    return classify(ServiceFacts(answers=answers(**changes)))


# --- The definition itself -------------------------------------------------------------------


def test_the_definition_has_seven_criteria_then_five_exclusions_in_declared_order():
    assert [c.key for c in CRITERIA] == CRITERION_KEYS
    assert [c.key for c in EXCLUSIONS] == EXCLUSION_KEYS
    assert ALL_CRITERIA == CRITERIA + EXCLUSIONS
    assert list(CRITERIA_BY_KEY) == CRITERION_KEYS + EXCLUSION_KEYS
    assert all(CRITERIA_BY_KEY[c.key] is c for c in ALL_CRITERIA)


@pytest.mark.parametrize(
    ("criteria", "kind", "source"),
    [
        (CRITERIA, "criterion", "Rare Jewels (2019), section 7"),
        (EXCLUSIONS, "exclusion", "Rare Jewels (2019), section 9"),
    ],
)
def test_every_item_is_a_plain_question_with_its_source(criteria, kind, source):
    for criterion in criteria:
        assert criterion.kind == kind
        assert criterion.source == source
        assert criterion.label and criterion.label[0].isupper()
        assert criterion.question.endswith("?")


def test_the_dyad_question_explains_the_jargon():
    question = CRITERIA_BY_KEY["dyad_or_triad_focus"].question
    assert "baby and parent(s) together" in question


def test_psychologists_and_psychotherapists_count_as_qualified_mental_health_professionals():
    assert PSYCHOLOGY_OR_PSYCHOTHERAPY == {
        "clinical_psychologist",
        "child_psychotherapist",
        "parent_infant_psychotherapist",
        "consultant_psychologist_or_psychotherapist",
    }
    assert PSYCHOLOGY_OR_PSYCHOTHERAPY < QUALIFIED_MENTAL_HEALTH_PROFESSIONS
    assert not {"health_visitor", "parent_infant_practitioner", "administrator"} & (
        QUALIFIED_MENTAL_HEALTH_PROFESSIONS
    )


# --- Recorded answers, one item at a time ------------------------------------------------------


def test_the_baseline_is_a_team():
    classification = classify_answers()
    assert classification.outcome is TEAM
    assert classification.summary == (
        "A specialised parent-infant relationship team: it meets all 7 criteria and none of "
        "the 5 exclusions applies."
    )


@pytest.mark.parametrize(
    ("key", "answer", "outcome", "status"),
    [(key, True, TEAM, MET) for key in CRITERION_KEYS]
    + [(key, False, NOT_A_TEAM, NOT_MET) for key in CRITERION_KEYS]
    + [(key, True, NOT_A_TEAM, MET) for key in EXCLUSION_KEYS]
    + [(key, False, TEAM, NOT_MET) for key in EXCLUSION_KEYS],
)
def test_a_recorded_answer_decides_its_item(key, answer, outcome, status):
    classification = classify_answers(**{key: answer})
    assert classification.outcome is outcome
    result = classification.result(key)
    assert (result.status, result.basis) == (status, "recorded evidence")
    assert result.reason.startswith("Recorded")


@pytest.mark.parametrize(
    ("key", "phrase"),
    [
        ("multidisciplinary_with_psychologist_or_psychotherapist", "not a multidisciplinary team"),
        ("direct_relationship_support", "does not offer direct relationship support"),
        ("individualised_programme_after_assessment", "individual programme of support"),
        ("dyad_or_triad_focus", "does not work with parent and baby together"),
        ("relationship_referral_pathway", "no referral pathway"),
        ("accepts_conception_or_birth_to_two", "from pregnancy or birth up to age 2"),
        ("workforce_experts_and_champions", "does not train or advise the local workforce"),
        ("no_qualified_mental_health_professional", "no qualified mental health professional"),
        ("practitioners_within_wider_remit_team", "a few practitioners inside a wider-remit"),
        ("single_intervention_only", "only a single intervention"),
        ("not_commissioned_for_parent_infant_work", "not commissioned specifically"),
        ("narrow_group_only", "narrow group of families"),
    ],
)
def test_the_summary_says_why_a_service_is_not_a_team(key, phrase):
    ruled_out = key in EXCLUSION_KEYS  # an exclusion rules out when it applies
    summary = classify_answers(**{key: ruled_out}).summary
    assert summary.startswith("Not a team: ")
    assert phrase in summary


@pytest.mark.parametrize("key", CRITERION_KEYS + EXCLUSION_KEYS)
def test_a_missing_answer_leaves_not_enough_information(key):
    classification = classify_answers(**{key: None})
    assert classification.outcome is UNSURE
    result = classification.result(key)
    assert (result.status, result.basis, result.reason) == (UNKNOWN, "not recorded",
                                                            "Not recorded yet.")
    noun = "criterion" if key in CRITERION_KEYS else "exclusion"
    label = CRITERIA_BY_KEY[key].label
    assert classification.summary == (
        f"Not enough information: 1 {noun} is not yet recorded ({label})."
    )


# --- Derived from staffing ---------------------------------------------------------------------

MULTIDISCIPLINARY = "multidisciplinary_with_psychologist_or_psychotherapist"
NO_QUALIFIED = "no_qualified_mental_health_professional"


@pytest.mark.parametrize(
    ("staffing", "multidisciplinary", "no_qualified", "reason_mentions"),
    [
        ({"clinical_psychologist": 0.5, "health_visitor": 1.0}, MET, NOT_MET, "2 professions"),
        ({"clinical_psychologist": 1.0}, NOT_MET, NOT_MET, "only 1 profession"),
        ({"health_visitor": 1.0, "social_worker": 0.5}, NOT_MET, MET, "no clinical psychologist"),
        ({"nursery_nurse": 1.0}, NOT_MET, MET, "only 1 profession and no clinical psychologist"),
        # An administrator does not make a team multidisciplinary.
        ({"clinical_psychologist": 1.0, "administrator": 0.5}, NOT_MET, NOT_MET, "1 profession"),
        # A post with no hours does not count as staff.
        ({"child_psychotherapist": 0, "health_visitor": 1, "midwife": 1}, NOT_MET, MET,
         "no clinical psychologist"),
        ({"psychiatrist": 0.2, "parent_infant_practitioner": 2.0}, NOT_MET, NOT_MET,
         "no clinical psychologist"),
        ({"mental_health_nurse": 1, "family_therapist": 1}, NOT_MET, NOT_MET,
         "no clinical psychologist"),
    ],
)
def test_staffing_decides_multidisciplinary_and_qualified(
    staffing, multidisciplinary, no_qualified, reason_mentions
):
    classification = classify(ServiceFacts(staffing=staffing))
    first = classification.result(MULTIDISCIPLINARY)
    assert (first.status, first.basis) == (multidisciplinary, "staffing")
    assert reason_mentions in first.reason
    second = classification.result(NO_QUALIFIED)
    assert (second.status, second.basis) == (no_qualified, "staffing")


@pytest.mark.parametrize("profession", sorted(PSYCHOLOGY_OR_PSYCHOTHERAPY))
def test_any_psychology_or_psychotherapy_profession_satisfies_the_team_criterion(profession):
    classification = classify(ServiceFacts(staffing={profession: 0.4, "health_visitor": 1}))
    assert classification.result(MULTIDISCIPLINARY).status is MET
    assert classification.result(NO_QUALIFIED).status is NOT_MET


def test_unknown_staffing_derives_nothing():
    classification = classify(ServiceFacts())
    for key in (MULTIDISCIPLINARY, NO_QUALIFIED):
        result = classification.result(key)
        assert (result.status, result.basis) == (UNKNOWN, "not recorded")


# --- Derived from the age range ----------------------------------------------------------------

AGE = "accepts_conception_or_birth_to_two"


@pytest.mark.parametrize(
    ("accepts_from", "to_months", "status", "basis"),
    [
        ("conception", 24, MET, "age range"),
        ("birth", 24, MET, "age range"),
        ("birth", 48, MET, "age range"),
        ("conception", 23, NOT_MET, "age range"),
        ("birth", 18, NOT_MET, "age range"),
        ("later", 36, NOT_MET, "age range"),
        ("later", None, NOT_MET, "age range"),
        (None, 23, NOT_MET, "age range"),
        (None, 24, UNKNOWN, "not recorded"),
        ("birth", None, UNKNOWN, "not recorded"),
        ("conception", None, UNKNOWN, "not recorded"),
        (None, None, UNKNOWN, "not recorded"),
        ("", None, UNKNOWN, "not recorded"),  # a blank form field means not known
    ],
)
def test_the_age_range_decides_the_age_criterion(accepts_from, to_months, status, basis):
    facts = ServiceFacts(accepts_from=accepts_from, accepts_to_months=to_months)
    result = classify(facts).result(AGE)
    assert (result.status, result.basis) == (status, basis)


def test_the_age_reason_says_what_falls_short():
    too_young = classify(ServiceFacts(accepts_from="birth", accepts_to_months=18)).result(AGE)
    assert too_young.reason == (
        "Accepts referrals only up to 18 months; the definition needs at least age 2."
    )
    too_late = classify(ServiceFacts(accepts_from="later", accepts_to_months=60)).result(AGE)
    assert "only after birth" in too_late.reason


# --- Derived from interventions and the kind of service ----------------------------------------

SINGLE = "single_intervention_only"


@pytest.mark.parametrize(
    ("interventions", "status", "basis"),
    [
        ({"vig"}, MET, "interventions"),
        ({"vig", "circle_of_security"}, NOT_MET, "interventions"),
        ({"vig", "circle_of_security", "parent_infant_psychotherapy"}, NOT_MET, "interventions"),
        (set(), UNKNOWN, "not recorded"),
    ],
)
def test_the_number_of_interventions_decides_the_single_intervention_exclusion(
    interventions, status, basis
):
    result = classify(ServiceFacts(interventions=frozenset(interventions))).result(SINGLE)
    assert (result.status, result.basis) == (status, basis)


WIDER = "practitioners_within_wider_remit_team"
NARROW = "narrow_group_only"


@pytest.mark.parametrize(
    ("kind", "wider", "wider_basis", "narrow", "narrow_basis"),
    [
        ("camhs_specialists", MET, "kind of service", UNKNOWN, "not recorded"),
        ("team", NOT_MET, "kind of service", UNKNOWN, "not recorded"),
        ("child_protection_focus", UNKNOWN, "not recorded", MET, "kind of service"),
        ("other", UNKNOWN, "not recorded", UNKNOWN, "not recorded"),
    ],
)
def test_the_kind_of_service_decides_the_wider_remit_and_narrow_group_exclusions(
    kind, wider, wider_basis, narrow, narrow_basis
):
    classification = classify(ServiceFacts(kind=kind))
    assert (classification.result(WIDER).status, classification.result(WIDER).basis) == (
        wider, wider_basis
    )
    assert (classification.result(NARROW).status, classification.result(NARROW).basis) == (
        narrow, narrow_basis
    )


EVERYTHING_DERIVABLE = ServiceFacts(
    kind="team",
    staffing={"clinical_psychologist": 1.0, "parent_infant_practitioner": 2.0},
    interventions=frozenset({"vig", "parent_infant_psychotherapy"}),
    accepts_from="conception",
    accepts_to_months=24,
)
ONLY_FROM_ANSWERS = [
    "direct_relationship_support",
    "individualised_programme_after_assessment",
    "dyad_or_triad_focus",
    "relationship_referral_pathway",
    "workforce_experts_and_champions",
    "not_commissioned_for_parent_infant_work",
    "narrow_group_only",
]


def test_facts_derive_only_the_items_they_can_speak_to():
    classification = classify(EVERYTHING_DERIVABLE)
    derived = {r.criterion.key: r.basis for r in classification.results
               if r.status is not UNKNOWN}
    assert derived == {
        MULTIDISCIPLINARY: "staffing",
        NO_QUALIFIED: "staffing",
        AGE: "age range",
        SINGLE: "interventions",
        WIDER: "kind of service",
    }
    for key in ONLY_FROM_ANSWERS:
        result = classification.result(key)
        assert (result.status, result.basis, result.reason) == (
            UNKNOWN, "not recorded", "Not recorded yet."
        )


def test_derived_facts_and_answers_for_the_rest_make_a_team():
    answered = {key: key not in EXCLUSION_KEYS for key in ONLY_FROM_ANSWERS}
    facts = dataclasses.replace(EVERYTHING_DERIVABLE, answers=answered)
    assert classify(facts).outcome is TEAM


# --- Recorded evidence beats derivation --------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "key", "derived", "answer"),
    [
        (ServiceFacts(staffing={"health_visitor": 1}), MULTIDISCIPLINARY, NOT_MET, True),
        (ServiceFacts(staffing={"health_visitor": 1}), NO_QUALIFIED, MET, False),
        (ServiceFacts(accepts_from="birth", accepts_to_months=18), AGE, NOT_MET, True),
        (ServiceFacts(accepts_from="birth", accepts_to_months=36), AGE, MET, False),
        (ServiceFacts(interventions=frozenset({"vig"})), SINGLE, MET, False),
        (ServiceFacts(kind="camhs_specialists"), WIDER, MET, False),
        (ServiceFacts(kind="team"), WIDER, NOT_MET, True),
        (ServiceFacts(kind="child_protection_focus"), NARROW, MET, False),
    ],
)
def test_recorded_evidence_overrides_derivation(facts, key, derived, answer):
    assert classify(facts).result(key).status is derived
    overridden = classify(dataclasses.replace(facts, answers={key: answer})).result(key)
    assert overridden.status is (MET if answer else NOT_MET)
    assert overridden.basis == "recorded evidence"


def test_a_none_answer_means_not_recorded_so_derivation_still_applies():
    facts = ServiceFacts(kind="camhs_specialists", answers={WIDER: None})
    assert classify(facts).result(WIDER).basis == "kind of service"


# --- Outcomes and summaries --------------------------------------------------------------------


def test_camhs_specialists_are_not_a_team_with_a_one_line_reason():
    facts = ServiceFacts(kind="camhs_specialists", answers=answers(**{WIDER: None}))
    classification = classify(facts)
    assert classification.outcome is NOT_A_TEAM
    assert classification.summary == (
        "Not a team: it is a few practitioners inside a wider-remit team (e.g. CAMHS)."
    )


def test_not_a_team_wins_even_when_much_is_unknown():
    classification = classify(ServiceFacts(kind="child_protection_focus"))
    assert classification.outcome is NOT_A_TEAM
    assert classification.summary == "Not a team: it only works with a narrow group of families."


def test_every_failing_item_is_listed_in_declared_order():
    summary = classify_answers(single_intervention_only=True, dyad_or_triad_focus=False).summary
    assert summary == (
        "Not a team: it does not work with parent and baby together; "
        "it delivers only a single intervention."
    )


def test_not_enough_information_counts_and_names_what_is_unknown():
    classification = classify_answers(
        direct_relationship_support=None,
        dyad_or_triad_focus=None,
        workforce_experts_and_champions=None,
    )
    assert classification.outcome is UNSURE
    assert classification.summary == (
        "Not enough information: 3 criteria are not yet recorded (Direct relationship support "
        "for families; Works with parent and baby together; Trains and advises the local "
        "workforce)."
    )


def test_not_enough_information_counts_criteria_and_exclusions_separately():
    summary = classify_answers(dyad_or_triad_focus=None, narrow_group_only=None).summary
    assert summary.startswith(
        "Not enough information: 1 criterion and 1 exclusion are not yet recorded ("
    )
    summary = classify(ServiceFacts()).summary
    assert summary.startswith("Not enough information: 7 criteria and 5 exclusions are")


@pytest.mark.parametrize(
    "facts",
    [ServiceFacts(), ServiceFacts(answers=BASELINE), EVERYTHING_DERIVABLE,
     ServiceFacts(kind="camhs_specialists")],
)
def test_results_cover_all_twelve_items_in_declared_order(facts):
    results = classify(facts).results
    assert len(results) == 12
    assert [r.criterion for r in results] == list(ALL_CRITERIA)


def test_result_rejects_an_unknown_key():
    with pytest.raises(KeyError):
        classify(ServiceFacts()).result("nonsense")


# --- ServiceFacts guards against typos and later changes ---------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "teams"},
        {"staffing": {"psychologist": 1.0}},
        {"staffing": {"clinical_psychologist": -1.0}},
        {"answers": {"dyad_focus": True}},
        {"answers": {"dyad_or_triad_focus": "yes"}},
        {"accepts_from": "pregnancy"},
        {"accepts_to_months": -1},
    ],
)
def test_service_facts_reject_unknown_or_impossible_values(bad):
    with pytest.raises(ValueError):
        ServiceFacts(**bad)


def test_service_facts_are_a_snapshot_of_their_inputs():
    staffing = {"clinical_psychologist": 1.0}
    recorded = {"dyad_or_triad_focus": True}
    facts = ServiceFacts(staffing=staffing, answers=recorded, interventions={"vig"})
    staffing["health_visitor"] = 1.0
    recorded["dyad_or_triad_focus"] = False
    assert dict(facts.staffing) == {"clinical_psychologist": 1.0}
    assert facts.answers["dyad_or_triad_focus"] is True
    assert facts.interventions == frozenset({"vig"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.kind = "team"
    with pytest.raises(TypeError):
        facts.staffing["midwife"] = 1.0
