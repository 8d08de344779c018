"""Relationship, infant and goal instruments: PIR-GAS, KIPS, ASQ:SE-2, Goal-Based Outcomes."""

from __future__ import annotations

from .model import (
    DEFAULT_SCHEDULE,
    Band,
    Banding,
    Cutoff,
    Instrument,
    Item,
    Licence,
    MissingRule,
    Schedule,
)

FACTS = "MEASURES-AND-RULES §2"
NCTSN_PIRGAS = "https://www.nctsn.org/measures/parent-infant-relationship-global-assessment"

PIRGAS = Instrument(
    code="pirgas",
    name="Parent-Infant Relationship Global Assessment Scale (PIR-GAS)",
    items=(),
    items_source=f"{FACTS}: one global clinician rating — http://tribalearlychildhoodmeasures.com/"
    "parent-infant-relationship-global-assessment-scale-pir-gas/",
    item_entry="no items: enter the clinician's single rating as the total",
    total_range=(1, 100),
    total_range_source=f"{FACTS}: 1-100 in 10-point bands, 'well adapted (100-91) to grossly "
    f"impaired (10 and under)' — {NCTSN_PIRGAS}",
    direction="higher_is_better",
    scoring="single_rating",
    accepts_total=True,
    cutoff=Cutoff(
        40, "below", "disordered relationship (< 40)",
        source=f"{FACTS}: 'a score below 40 marks a disordered relationship' — {NCTSN_PIRGAS}",
        note="The (unverified) band table puts 40 itself in 'disordered' (31-40); the quoted rule "
        "('below 40') is followed, so 40 is not a case.",
    ),
    banding=Banding(
        tuple(Band(lo, lo + 9, label) for lo, label in (
            (1, "documented maltreatment"), (11, "grossly impaired"), (21, "severely disordered"),
            (31, "disordered"), (41, "disturbed"), (51, "distressed"),
            (61, "significantly perturbed"), (71, "perturbed"), (81, "adapted"),
            (91, "well adapted"))),
        source=f"{FACTS}: band labels recalled from DC:0-3R",
        verified=False,
        note="UNVERIFIED: not seen in full in any source, and sources conflict on the bottom of "
        "the scale (NCTSN: nine categories down to 'grossly impaired (10 and under)'; "
        "tribalearlychildhoodmeasures: down to 'documented maltreatment'). Confirm the DC:0-3R "
        "edition and band table.",
    ),
    reliable_change_note=f"{FACTS}: none published; reliability is limited.",
    schedule=Schedule(
        baseline_within_days=42, review_every_days=DEFAULT_SCHEDULE.review_every_days,
        at_discharge=True, cradle_default=False,
        source=f"{FACTS}: a rating 'takes 3-5 sessions' (tribalearlychildhoodmeasures, as above), "
        "so the baseline is allowed 42 days (Cradle default, about five weekly sessions); review "
        "every 84 days and at discharge are Cradle defaults."),
    licence=Licence(
        text="The standalone PIR-GAS PDF is free; the DC:0-3R manual is paid (ZERO TO THREE). "
        "Superseded by LOAF in DC:0-5 (licence required).",
        may_ship_item_wording=False,
        source=f"{FACTS}: http://tribalearlychildhoodmeasures.com/parent-infant-relationship-"
        "global-assessment-scale-pir-gas/",
    ),
)

KIPS = Instrument(
    code="kips",
    name="Keys to Interactive Parenting Scale (KIPS)",
    items=tuple(Item(i, 1, 5) for i in range(1, 13)),
    items_source=f"{FACTS}: 12 items rated 1-5 by a trained observer — "
    "https://www.nctsn.org/measures/keys-interactive-parenting-scale",
    item_entry="the observer's item rating (1-5)",
    total_range=(1.0, 5.0),
    total_range_source=f"{FACTS}: interpreted by mean 1.0-5.0 (NCTSN, as above)",
    direction="higher_is_better",
    scoring="mean",
    total_is_integer=False,
    accepts_total=True,
    banding=Banding(
        (Band(1.0, 2.9, "low quality (parenting concerns)"), Band(3.0, 3.9, "moderate quality"),
         Band(4.0, 5.0, "high quality")),
        source=f"{FACTS}: mean 1.0-2.9 low, 3.0-3.9 moderate, 4.0-5.0 high — "
        "https://www.nctsn.org/measures/keys-interactive-parenting-scale",
        note="A mean between bands (e.g. 2.95) falls in the lower band; the sources do not say "
        "whether the mean is rounded first.",
    ),
    reliable_change_note=f"{FACTS}: none found.",
    licence=Licence(
        text="Proprietary (Comfort Consults): training and certification required. Record item "
        "ratings or the mean only.",
        may_ship_item_wording=False,
        source=f"{FACTS}: https://annenberg.brown.edu/instruments/keys-interactive-parenting-scale-kips",
    ),
    notes=("No caseness: the sources give quality bands, not a clinical cut-off.",),
)

ASQSE2 = Instrument(
    code="asqse2",
    name="Ages & Stages Questionnaires: Social-Emotional, Second Edition (ASQ:SE-2)",
    items=(),
    items_source=f"{FACTS}: 16-36 items depending on the age interval (2, 6, 12, 18, 24, 30, 36, "
    "48, 60 months); Z=0, V=5, X=10, plus 5 per concern — http://support.agesandstages.com/kb/"
    "article/258-how-do-you-score-an-asqse2-questionnaire/",
    item_entry="no items: the per-interval item sets are not in the sources; enter the total "
    "scored on the official form",
    total_range=(0, float("inf")),
    total_range_source=f"{FACTS}: minimum 0 (every response scores 0, 5 or 10 plus 5 per concern); "
    "the maximum depends on the interval and is not recorded",
    direction="higher_is_worse",
    scoring="total_only",
    accepts_total=True,
    reliable_change_note=f"{FACTS}: none found.",
    schedule=Schedule(
        baseline_within_days=28, review_every_days=182, at_discharge=True, cradle_default=False,
        source=f"{FACTS}: the questionnaires are for ages 2, 6, 12, 18, 24, 30, 36, 48 and 60 "
        "months, six months apart over the ages a parent-infant team sees, so a review every "
        "182 days meets the next interval's questionnaire; the baseline window (28 days) and "
        "the discharge measure are Cradle defaults."),
    missing=MissingRule(
        max_missing=0, prorate=False, platform_rule=False,
        source=f"{FACTS}: up to 2 (2-18 months) or 3 (24-60 months) items may be estimated as "
        "sum + mean x missing — https://pathlore.dhs.mn.gov/courseware/AdultMentalHealth/CMH/"
        "Module_02/pages/0216.htm ; items are not entered here, so the team applies it on the form",
    ),
    licence=Licence(
        text="Proprietary (Brookes): each site buys its own kit; written permission is needed to "
        "adapt or reformat. Record totals only.",
        may_ship_item_wording=False,
        source=f"{FACTS}: https://support.agesandstages.com/kb/tag/151?page=2",
    ),
    notes=("Interval-specific cut-offs (below cut-off / monitoring zone / above cut-off) are NOT "
           "FOUND in the sources: take them from the ASQ:SE-2 User's Guide. Until then band and "
           "caseness are None.",),
)

GBO = Instrument(
    code="gbo",
    name="Goal-Based Outcomes (GBO)",
    items=tuple(Item(i, 0, 10) for i in range(1, 4)),
    items_source=f"{FACTS}: up to three goals, each rated 0-10 — https://goals-in-therapy.com/2018/"
    "12/07/guidance-notes-for-using-the-goal-based-outcome-gbo-tool/",
    item_entry="each goal's rating 0-10 (item n = goal n)",
    total_range=(0, 10),
    total_range_source="mean of goal ratings, each 0-10",
    direction="higher_is_better",
    scoring="goal_mean",
    total_is_integer=False,
    accepts_total=True,
    schedule=Schedule(
        baseline_within_days=28, review_every_days=DEFAULT_SCHEDULE.review_every_days,
        at_discharge=True, cradle_default=False,
        source=f"{FACTS}: 'the outcome is the movement along the scale between start and end' "
        "(CORC), so a rating at the start and at discharge; the baseline window (28 days) and "
        "the review every 84 days are Cradle defaults."),
    reliable_change_note=f"{FACTS}: the 2.45-point figure is NOT FOUND in the sources (likely "
    "Edbrooke-Childs et al. 2015); not encoded.",
    missing=MissingRule(
        max_missing=2, prorate=False, platform_rule=False,
        source=f"{FACTS}: 'up to three goals' (CORC) — at least one goal is required",
    ),
    licence=Licence(
        text="(c) Dr Duncan Law, CC BY-NC-SA 4.0.",
        may_ship_item_wording=True,
        source=f"{FACTS}: ucam-department-of-psychiatry/camcops docs/source/tasks/gbo.rst",
    ),
    notes=("The total is the mean of the goals rated, a platform summary: GBO outcome is movement "
           "on each goal, so compare only the same goals over time. No bands or caseness "
           "(goals are idiographic).",),
)

INFANT = (PIRGAS, KIPS, ASQSE2, GBO)
