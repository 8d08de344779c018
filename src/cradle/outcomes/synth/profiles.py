"""The shapes synthetic data is drawn from (plain data, no Django).

Every key here is a key of the outcomes or directory vocabulary (tests/unit/test_synth.py
checks). The weights are plausible, not measured: they make demo pages and benchmarks look
like a network of small UK teams, and nothing here describes a real person or team.
"""

from __future__ import annotations

# Nations of the synthetic teams, roughly as the UK's teams are spread.
NATIONS = (("England", 84), ("Scotland", 8), ("Wales", 5), ("Northern Ireland", 3))

REFERRER_TYPES = (
    ("health_visitor", 26), ("perinatal_mental_health", 20), ("midwife", 14), ("gp", 14),
    ("social_care", 10), ("self", 7), ("other", 6), ("camhs", 3),
)

# Referrals not yet decided are those made in the last few weeks before the end date.
DECISIONS = (("accepted", 76), ("signposted", 15), ("declined", 9))

FIRST_CAREGIVER = (("mother", 89), ("father", 5), ("foster_carer", 3), ("grandparent", 2),
                   ("other", 1))
SECOND_CAREGIVER = (("father", 76), ("co_parent", 15), ("grandparent", 6), ("other", 3))
SHARE_WITH_SECOND_CAREGIVER = 0.3

# NHS Data Dictionary ethnic categories: roughly the mix of births in England and Wales.
ETHNIC_CATEGORIES = (
    ("A", 68.0), ("B", 0.8), ("C", 7.0), ("D", 1.2), ("E", 0.7), ("F", 1.0), ("G", 1.3),
    ("H", 2.6), ("J", 4.2), ("K", 1.5), ("L", 2.0), ("M", 0.8), ("N", 3.4), ("P", 0.6),
    ("R", 0.5), ("S", 2.0), ("Z", 2.4),
)
SHARE_SECOND_CAREGIVER_SAME_ETHNICITY = 0.75

# Caregiver ages: a share aged 20 and under, the rest around the late twenties.
SHARE_AGED_20_AND_UNDER = 0.11
YOUNG_AGES = (16, 20)
ADULT_AGE_MEAN, ADULT_AGE_SD, ADULT_AGES = 30.0, 5.5, (21, 46)
GRANDPARENT_AGES = (38, 68)
SHARE_AGE_NOT_RECORDED = 0.03
# "Young parent (under 20)" is recorded for a first caregiver younger than this.
YOUNG_PARENT_UNDER = 20

SHARE_SINGLE_CAREGIVER = 0.27
SHARE_FIRST_TIME_PARENT = 0.55
SHARE_HOUSEHOLD_NOT_RECORDED = 0.05
SHARE_REFERRED_ANTENATALLY = 0.25

# Chance that a referral names each risk factor (young_parent follows the caregiver's age).
RISK_FACTORS = (
    ("perinatal_mental_illness", 0.68), ("isolation", 0.40), ("recent_life_stress", 0.34),
    ("own_abuse_experience", 0.30), ("bonding_difficulty", 0.30), ("domestic_abuse", 0.24),
    ("previous_mental_illness", 0.24), ("financial_hardship", 0.19),
    ("birth_trauma", 0.15), ("insensitive_interaction", 0.14), ("housing_problems", 0.14),
    ("parental_conflict", 0.14), ("child_protection", 0.12), ("previous_baby_loss", 0.10),
    ("substance_misuse", 0.09), ("feeding_sleeping_difficulty", 0.09),
    ("care_experienced", 0.07), ("prematurity", 0.07), ("neonatal_unit", 0.06),
    ("hostile_feelings", 0.06), ("unresponsive_baby", 0.05), ("birth_complications", 0.05),
    ("separation", 0.04), ("low_birth_weight", 0.04), ("language_barrier", 0.03),
    ("learning_disability", 0.03), ("asylum_or_refugee", 0.02),
    ("disability_or_illness", 0.02), ("criminal_justice", 0.02),
    ("prenatal_substance_exposure", 0.02),
)
FALLBACK_RISK_FACTOR = "perinatal_mental_illness"

# Waits in days: referral to decision, and decision to the first contact (the team's own
# median is drawn from TEAM_MEDIAN_WAIT, so a few teams have long waiting lists).
DECISION_WAIT = (2, 28)
TEAM_MEDIAN_WAIT = (14, 70)
WAIT_SPREAD = 0.5  # sigma of the lognormal around the team's median
EPISODE_MEDIAN_DAYS, EPISODE_SPREAD, EPISODE_DAYS = 140, 0.6, (14, 560)

DISCHARGE_REASONS = (
    ("planned", 66), ("disengaged", 12), ("declined_further", 6), ("transferred", 6),
    ("moved_away", 5), ("aged_out", 3), ("other", 2),
)

INTERVENTIONS = (
    ("parent_infant_psychotherapy", 30), ("vig", 18), ("circle_of_security", 14),
    ("watch_wait_wonder", 10), ("adult_mental_health", 9), ("mellow", 6),
    ("nbo_nbas", 5), ("vipp", 5), ("mentalization_based", 4), ("baby_massage", 3),
    ("solihull", 3), ("couple_family_therapy", 3), ("play_therapy", 2),
    ("antenatal_programmes", 2), ("five_to_thrive", 2), ("feeding_clinic", 1),
    ("timid_to_tiger", 1),
)
TEAM_INTERVENTIONS = (3, 7)

CONTACT_MODES = (("home_visit", 36), ("face_to_face", 34), ("video", 14), ("phone", 9),
                 ("group", 7))
CONTACTS_PER_WEEK = (0.45, 0.9)
MAX_CONTACTS = 40
# The team's did-not-attend rate is drawn from this range; cancellations are fixed shares.
TEAM_DNA_RATE = (0.05, 0.18)
CANCELLED_BY_FAMILY, CANCELLED_BY_SERVICE = 0.06, 0.04
MINUTES = {"phone": (15, 40), "video": (40, 60), "face_to_face": (45, 75),
           "home_visit": (50, 90), "group": (90, 120)}
SHARE_BABY_PRESENT = 0.85

# Instrument sets a team uses: (instruments, weight). Adult self-report first.
INSTRUMENT_SETS = (
    (("epds", "core10", "pirgas"), 24), (("phq9", "gad7", "pirgas"), 16),
    (("core10", "gbo"), 14), (("epds", "gad7"), 10), (("phq9", "gad7", "wemwbs"), 8),
    (("hads", "kips"), 7), (("core10", "asqse2"), 7), (("epds", "pirgas", "gbo"), 8),
    (("wemwbs", "gbo"), 6),
)
# How an administration is entered, for instruments that take items: share as a total.
SHARE_ENTERED_AS_TOTAL = 0.3
SHARE_HADS_AS_SUBSCALES = 0.5
SHARE_WITH_A_MISSING_ITEM = 0.04

# Trajectories: the share of episodes that improve, do not change, or get worse.
TRAJECTORIES = (("improve", 64), ("no_change", 26), ("deteriorate", 10))
BASELINE_SEVERITY = (0.58, 0.17)  # mean and sd of the latent severity, 0 (well) to 1
SEVERITY_CHANGE = {"improve": (0.30, 0.10), "no_change": (0.0, 0.05),
                   "deteriorate": (-0.13, 0.05)}
ITEM_NOISE = 0.55
# Risk items (self-harm, CORE-10 risk) sit lower than the rest of the scale.
RISK_ITEM_WEIGHT = 0.15
RISK_ITEM_NOISE = 0.5  # of the other items' noise, so few are flagged
RISK_ITEMS = {"phq9": 9, "epds": 10, "core10": 6}
ASQSE2_SCALE = 180  # ASQ:SE-2 totals depend on the interval; this keeps them plausible

SHARE_WITH_BASELINE = 0.93
SHARE_WITH_REVIEW = 0.45  # of episodes longer than REVIEW_AFTER_DAYS
REVIEW_AFTER_DAYS = 90
# Share of closed episodes with a discharge measure, by discharge reason (else OTHER).
DISCHARGE_MEASURE = {"planned": 0.82, "disengaged": 0.12, "declined_further": 0.2}
DISCHARGE_MEASURE_OTHER = 0.45
SHARE_WITH_FOLLOW_UP = 0.06
FOLLOW_UP_DAYS = 90

PARENT_FEEDBACK = {"planned": 0.45}
PARENT_FEEDBACK_OTHER = 0.08
REFERRER_FEEDBACK = 0.18
ESQ_ANSWERS_GOOD = (("certainly_true", 72), ("partly_true", 20), ("not_true", 3),
                    ("dont_know", 5))
ESQ_ANSWERS_POOR = (("certainly_true", 35), ("partly_true", 38), ("not_true", 20),
                    ("dont_know", 7))
REFERRER_ANSWERS = (("strongly_agree", 48), ("agree", 36), ("neutral", 10),
                    ("disagree", 4), ("strongly_disagree", 2))
SHARE_QUESTION_SKIPPED = 0.04

WORKFORCE_EVENTS_PER_YEAR = (2, 14)
WORKFORCE_KINDS = (("training", 60), ("consultation", 25), ("supervision", 15))
TRAINING_TOPICS = (
    "Introduction to parent-infant relationships",
    "Infant mental health awareness",
    "Perinatal mental health and bonding",
    "Observing babies: what to look for",
    "Video interaction guidance in practice",
    "Reflective practice for health visitors",
    "Working with fathers in the perinatal period",
    "Trauma-informed care with new families",
)
AUDIENCE_PROFESSIONS = (
    ("health_visitor", 30), ("midwife", 18), ("social_worker", 14), ("nursery_nurse", 12),
    ("mental_health_nurse", 10), ("peer_support_worker", 6), ("clinical_psychologist", 4),
    ("family_therapist", 3), ("other", 3),
)
ATTENDEES = {"training": (6, 40), "consultation": (1, 4), "supervision": (1, 6)}

# Team sizes: lognormal multipliers of the mean referrals per year, so a few teams are large
# and most are small; yearly counts grow over the period (newer years busier).
TEAM_SIZE_SIGMA = 0.85
MIN_REFERRALS_PER_YEAR = 3
YEARLY_GROWTH = 0.3  # the last year is this much busier than the first, around the mean
