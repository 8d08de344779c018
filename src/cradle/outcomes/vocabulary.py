"""Controlled lists for outcomes case records (plain data, no Django).

Each list is a tuple of (key, label) pairs: keys are stored, labels are shown. Keys never change
once records use them; add new keys instead.
"""

from __future__ import annotations

# Issue 6 item 2.
REFERRER_TYPES = (
    ("health_visitor", "Health visitor"),
    ("midwife", "Midwife"),
    ("gp", "GP"),
    ("perinatal_mental_health", "Perinatal mental health team"),
    ("social_care", "Social care"),
    ("camhs", "CAMHS"),
    ("self", "Self-referral"),
    ("other", "Other"),
)

RELATIONSHIPS = (
    ("mother", "Mother"),
    ("father", "Father"),
    ("co_parent", "Co-parent"),
    ("foster_carer", "Foster carer"),
    ("grandparent", "Grandparent"),
    ("other", "Other"),
)

# NHS Data Dictionary, "ETHNIC CATEGORY" (the 2001 census categories, codes A-Z). Not covered by
# /work/shared/design/MEASURES-AND-RULES.md; the codes and labels are the Data Dictionary's
# national codes (https://www.datadictionary.nhs.uk/data_elements/ethnic_category.html).
# "99 Not known" is not offered: "Z Not stated" covers a caregiver who did not say.
ETHNIC_CATEGORIES = (
    ("A", "White - British"),
    ("B", "White - Irish"),
    ("C", "White - Any other White background"),
    ("D", "Mixed - White and Black Caribbean"),
    ("E", "Mixed - White and Black African"),
    ("F", "Mixed - White and Asian"),
    ("G", "Mixed - Any other mixed background"),
    ("H", "Asian or Asian British - Indian"),
    ("J", "Asian or Asian British - Pakistani"),
    ("K", "Asian or Asian British - Bangladeshi"),
    ("L", "Asian or Asian British - Any other Asian background"),
    ("M", "Black or Black British - Caribbean"),
    ("N", "Black or Black British - African"),
    ("P", "Black or Black British - Any other Black background"),
    ("R", "Other ethnic groups - Chinese"),
    ("S", "Other ethnic groups - Any other ethnic group"),
    ("Z", "Not stated"),
)

# Risk factors in the four domains the report uses. The report's own examples are marked (R).
RISK_DOMAINS = (
    ("child", "The child's biological vulnerability"),
    ("caregiver", "The caregiver's history and functioning"),
    ("interaction", "The caregiver-infant interaction"),
    ("socio_demographic", "Socio-demographic"),
)

# (key, label, domain)
RISK_FACTORS = (
    # the child's biological vulnerability
    ("prematurity", "Premature birth", "child"),
    ("low_birth_weight", "Low birth weight", "child"),
    ("neonatal_unit", "Neonatal unit admission", "child"),
    ("birth_complications", "Complications at or after birth", "child"),
    ("disability_or_illness", "Disability, illness or developmental concern", "child"),
    ("feeding_sleeping_difficulty", "Persistent feeding, sleeping or crying difficulty", "child"),
    ("prenatal_substance_exposure", "Exposure to alcohol or drugs before birth", "child"),
    # the caregiver's history and functioning
    ("perinatal_mental_illness", "Perinatal mental illness", "caregiver"),               # (R)
    ("own_abuse_experience", "Caregiver's own experience of abuse or neglect", "caregiver"),  # (R)
    ("substance_misuse", "Substance misuse", "caregiver"),                               # (R)
    ("previous_baby_loss", "Previous baby loss", "caregiver"),                           # (R)
    ("birth_trauma", "Birth trauma", "caregiver"),                                       # (R)
    ("recent_life_stress", "Recent life stress or bereavement", "caregiver"),            # (R)
    ("previous_mental_illness", "Mental illness before this pregnancy", "caregiver"),
    ("learning_disability", "Caregiver learning disability", "caregiver"),
    ("care_experienced", "Caregiver was in care as a child", "caregiver"),
    ("young_parent", "Young parent (under 20)", "caregiver"),
    # the caregiver-infant interaction
    ("bonding_difficulty", "Difficulty bonding with the baby", "interaction"),
    ("insensitive_interaction", "Insensitive, intrusive or withdrawn interaction",
     "interaction"),
    ("hostile_feelings", "Negative or hostile feelings towards the baby", "interaction"),
    ("unresponsive_baby", "Baby withdrawn or hard to soothe with the caregiver", "interaction"),
    ("separation", "Separation of baby and caregiver", "interaction"),
    # socio-demographic
    ("isolation", "Isolation or lack of support", "socio_demographic"),                 # (R)
    ("domestic_abuse", "Domestic abuse", "socio_demographic"),                           # (R)
    ("child_protection", "Child protection involvement", "socio_demographic"),          # (R)
    ("financial_hardship", "Financial hardship or debt", "socio_demographic"),
    ("housing_problems", "Insecure or poor housing", "socio_demographic"),
    ("asylum_or_refugee", "Asylum seeker or refugee", "socio_demographic"),
    ("language_barrier", "Needs an interpreter", "socio_demographic"),
    ("parental_conflict", "Conflict between the parents", "socio_demographic"),
    ("criminal_justice", "Involvement with the criminal justice system", "socio_demographic"),
)
RISK_FACTOR_DOMAIN = {key: domain for key, _label, domain in RISK_FACTORS}

DECISIONS = (
    ("accepted", "Accepted"),
    ("signposted", "Signposted elsewhere"),
    ("declined", "Declined"),
)

DISCHARGE_REASONS = (
    ("planned", "Planned ending"),
    ("disengaged", "Family stopped attending"),
    ("declined_further", "Family declined further work"),
    ("moved_away", "Family moved out of the area"),
    ("transferred", "Transferred to another service"),
    ("aged_out", "Child reached the upper age limit"),
    ("other", "Other"),
)

CONTACT_MODES = (
    ("face_to_face", "Face to face"),
    ("video", "Video"),
    ("phone", "Phone"),
    ("home_visit", "Home visit"),
    ("group", "Group"),
)

CONTACT_OUTCOMES = (
    ("attended", "Attended"),
    ("did_not_attend", "Did not attend"),
    ("cancelled_by_family", "Cancelled by the family"),
    ("cancelled_by_service", "Cancelled by the service"),
)

TIMEPOINTS = (
    ("baseline", "Baseline"),
    ("review", "Review"),
    ("discharge", "Discharge"),
    ("follow_up", "Follow-up"),
)

# What an administration was entered as: item scores, a total, or subscale totals (e.g. HADS).
MEASURE_ENTRY = (
    ("items", "Item scores"),
    ("total", "Total"),
    ("subscales", "Subscale totals"),
)

FEEDBACK_KINDS = (
    ("parent", "Parent experience"),
    ("referrer", "Referrer feedback"),
)

# Experience of Service Questionnaire (CHI-ESQ), parent version: 12 scored items
# (MEASURES-AND-RULES section 2, ESQ: "freely available"; wording as listed at
# https://scales.arabpsychology.com/s/experience-of-service-questionnaire-esq/, the source
# MEASURES-AND-RULES gives). Only answers are stored, keyed by item number; the three
# free-text questions are not recorded (free text may name people).
ESQ_ITEMS = tuple(str(n) for n in range(1, 13))
ESQ_QUESTIONS = (
    "I feel that the people who have seen my child listened to me",
    "It was easy to talk to the people who have seen my child",
    "I was treated well by the people who have seen my child",
    "My views and worries were taken seriously",
    "I feel the people here know how to help with the problem I came for",
    "I have been given enough explanation about the help available here",
    "I feel that the people who have seen my child are working together to help with the "
    "problem(s)",
    "The facilities here are comfortable (e.g. waiting area)",
    "The appointments are usually at a convenient time (e.g. don't interfere with work, "
    "school)",
    "It is quite easy to get to the place where the appointments are",
    "If a friend needed similar help, I would recommend that he or she come here",
    "Overall, the help I have received here is good",
)
ESQ_ANSWERS = (
    ("certainly_true", "Certainly true"),
    ("partly_true", "Partly true"),
    ("not_true", "Not true"),
    ("dont_know", "Don't know"),
)

# Referrer feedback: a short platform form of fixed questions, answered on a scale; no free text.
REFERRER_QUESTIONS = (
    ("response_time", "The team responded to the referral in good time"),
    ("communication", "The team kept me informed about the family"),
    ("helpful", "The team's work was helpful to the family"),
    ("would_refer_again", "I would refer another family to the team"),
)
REFERRER_ANSWERS = (
    ("strongly_agree", "Strongly agree"),
    ("agree", "Agree"),
    ("neutral", "Neither agree nor disagree"),
    ("disagree", "Disagree"),
    ("strongly_disagree", "Strongly disagree"),
)

# For each feedback kind: the question keys and the answers allowed for each.
FEEDBACK_FORMS = {
    "parent": (ESQ_ITEMS, tuple(k for k, _ in ESQ_ANSWERS)),
    "referrer": (tuple(k for k, _ in REFERRER_QUESTIONS), tuple(k for k, _ in REFERRER_ANSWERS)),
}

WORKFORCE_KINDS = (
    ("training", "Training event"),
    ("consultation", "Consultation"),
    ("supervision", "Supervision session"),
)


def keys(pairs) -> tuple[str, ...]:
    return tuple(pair[0] for pair in pairs)
