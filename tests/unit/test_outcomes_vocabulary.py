"""The outcomes controlled lists: unique keys, the report's risk factors in their domains, and
the NHS Data Dictionary ethnic category codes."""

import pytest

from cradle.outcomes import vocabulary as v

PAIRS = [v.REFERRER_TYPES, v.RELATIONSHIPS, v.ETHNIC_CATEGORIES, v.RISK_DOMAINS, v.DECISIONS,
         v.DISCHARGE_REASONS, v.CONTACT_MODES, v.CONTACT_OUTCOMES, v.TIMEPOINTS,
         v.MEASURE_ENTRY, v.FEEDBACK_KINDS, v.ESQ_ANSWERS, v.REFERRER_QUESTIONS,
         v.REFERRER_ANSWERS, v.WORKFORCE_KINDS, v.RISK_FACTORS]


@pytest.mark.parametrize("pairs", PAIRS)
def test_keys_unique_and_labelled(pairs):
    keys = v.keys(pairs)
    assert len(keys) == len(set(keys))
    assert all(key and pair[1] for key, pair in zip(keys, pairs, strict=True))


def test_issue_lists():
    assert v.keys(v.REFERRER_TYPES) == ("health_visitor", "midwife", "gp",
                                        "perinatal_mental_health", "social_care", "camhs",
                                        "self", "other")
    assert v.keys(v.RELATIONSHIPS) == ("mother", "father", "co_parent", "foster_carer",
                                       "grandparent", "other")
    assert v.keys(v.DECISIONS) == ("accepted", "signposted", "declined")
    assert v.keys(v.TIMEPOINTS) == ("baseline", "review", "discharge", "follow_up")
    assert v.keys(v.CONTACT_MODES) == ("face_to_face", "video", "phone", "home_visit", "group")
    assert v.keys(v.WORKFORCE_KINDS) == ("training", "consultation", "supervision")


def test_ethnic_categories_are_the_data_dictionary_codes():
    assert "".join(v.keys(v.ETHNIC_CATEGORIES)) == "ABCDEFGHJKLMNPRSZ"
    labels = dict(v.ETHNIC_CATEGORIES)
    assert labels["A"].endswith("British") and labels["J"].endswith("Pakistani")
    assert labels["Z"] == "Not stated"


def test_risk_factors_in_the_four_domains():
    domains = {domain for _key, _label, domain in v.RISK_FACTORS}
    assert domains == set(v.keys(v.RISK_DOMAINS)) and len(domains) == 4
    for domain in domains:
        assert sum(1 for *_, d in v.RISK_FACTORS if d == domain) >= 4


@pytest.mark.parametrize(("key", "domain"), [
    ("perinatal_mental_illness", "caregiver"),
    ("isolation", "socio_demographic"),
    ("recent_life_stress", "caregiver"),
    ("own_abuse_experience", "caregiver"),
    ("domestic_abuse", "socio_demographic"),
    ("substance_misuse", "caregiver"),
    ("previous_baby_loss", "caregiver"),
    ("birth_trauma", "caregiver"),
    ("child_protection", "socio_demographic"),
    ("prematurity", "child"),
    ("bonding_difficulty", "interaction"),
])
def test_the_reports_risk_factors(key, domain):
    assert v.RISK_FACTOR_DOMAIN[key] == domain


def test_feedback_forms_have_no_free_text():
    questions, answers = v.FEEDBACK_FORMS["parent"]
    assert questions == tuple(str(n) for n in range(1, 13))
    assert answers == ("certainly_true", "partly_true", "not_true", "dont_know")
    assert set(v.FEEDBACK_FORMS) == set(v.keys(v.FEEDBACK_KINDS))
