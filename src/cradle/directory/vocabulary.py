"""Controlled lists for the register, from Rare Jewels (2019) sections 7 and 9 (plain data)."""

SERVICE_KINDS = (
    ("team", "Specialised parent-infant relationship team"),
    ("camhs_specialists", "CAMHS with parent-infant specialists"),
    ("child_protection_focus", "Child-protection-focused service"),
    ("other", "Other parent-infant service"),
)

PROFESSIONS = (
    ("consultant_psychologist_or_psychotherapist", "Consultant psychologist or psychotherapist"),
    ("clinical_psychologist", "Clinical psychologist"),
    ("child_psychotherapist", "Child psychotherapist"),
    ("parent_infant_psychotherapist", "Parent-infant psychotherapist"),
    ("parent_infant_practitioner", "Parent-infant therapist or practitioner"),
    ("psychiatrist", "Psychiatrist"),
    ("mental_health_nurse", "Mental health nurse or adult mental health practitioner"),
    ("family_therapist", "Family therapist"),
    ("health_visitor", "Specialist health visitor"),
    ("midwife", "Midwife"),
    ("social_worker", "Social worker"),
    ("occupational_therapist", "Occupational therapist"),
    ("speech_and_language_therapist", "Speech and language therapist"),
    ("nursery_nurse", "Nursery nurse or early years practitioner"),
    ("peer_support_worker", "Community outreach or peer support worker"),
    ("administrator", "Administrator"),
    ("other", "Other"),
)

# Rare Jewels section 7 ("Parent-infant teams offer a range of interventions") and its list of
# "other interventions offered in some of the services".
INTERVENTIONS = (
    ("parent_infant_psychotherapy", "Parent-infant psychotherapy"),
    ("watch_wait_wonder", "Watch, Wait and Wonder"),
    ("circle_of_security", "Circle of Security (including Circle of Security Parenting)"),
    ("vig", "Video Interaction Guidance (VIG)"),
    ("vipp", "Video-feedback Intervention to promote Positive Parenting (VIPP)"),
    ("mellow", "Mellow programmes (Mellow Bumps, Mellow Mums, Mellow Dads...)"),
    ("nbo_nbas", "Brazelton: Newborn Observation (NBO) or Neonatal Behavioural Assessment "
                 "Scale (NBAS)"),
    ("mentalization_based", "Mentalization-based therapy for parents"),
    ("five_to_thrive", "Five to Thrive"),
    ("baby_massage", "Baby massage"),
    ("play_therapy", "Play therapy, including Theraplay-informed approaches"),
    ("antenatal_programmes", "Antenatal programmes such as Baby Steps and PEEP"),
    ("timid_to_tiger", "From Timid to Tiger parent group"),
    ("feeding_clinic", "Parent-infant feeding clinic"),
    ("solihull", "Solihull Approach"),
    ("couple_family_therapy", "Couple and systemic family therapy"),
    ("adult_mental_health", "Adult mental health interventions, including birth trauma therapies"),
    ("other", "Other"),
)

# Rare Jewels section 9, "Where does the core funding for your service come from?"
FUNDING_SOURCES = (
    ("ccg_mental_health", "CCG (or health board) mental health budget"),
    ("la_childrens_services", "Local authority children's services budget"),
    ("la_public_health", "Local authority public health budget"),
    ("voluntary_sector", "Voluntary sector organisation or fundraising"),
    ("la_public_health_and_third_sector", "Partnership between local authority public health "
                                          "and the third sector"),
    ("la_and_ccg", "Partnership between local authority and CCG"),
    ("other", "Other"),
)
