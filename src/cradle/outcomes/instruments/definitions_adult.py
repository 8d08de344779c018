"""Caregiver (adult) self-report instruments: PHQ-9, GAD-7, EPDS, CORE-10, HADS, WEMWBS."""

from __future__ import annotations

from dataclasses import replace

from .model import (
    Band,
    Banding,
    Cutoff,
    Flag,
    Instrument,
    Item,
    Licence,
    MissingRule,
    ReliableChange,
    Subscale,
)

FACTS = "MEASURES-AND-RULES §2"
IAPT = (
    "NHS Talking Therapies (IAPT) rules: https://pmc.ncbi.nlm.nih.gov/articles/PMC8411661/table/"
    "tbl0001 (cites NHS Digital 2016); https://pmc.ncbi.nlm.nih.gov/articles/PMC5942544/table/T2"
)
PFIZER = Licence(
    text='Pfizer made the PHQ and GAD-7 available "without copyright restriction and at no charge".',
    may_ship_item_wording=True,
    source="http://www.worldpharmanews.com/pfizer/1311-pfizer-to-offer-free-public-access-to-"
    "mental-health-assessment-tools",
)
SCORES_AS_PRINTED = "item scores as printed on the scoring key (0 = least symptomatic)"


def _items(n: int, lo: int, hi: int, reverse=(), subscales=None) -> tuple[Item, ...]:
    subscales = subscales or {}
    return tuple(
        Item(i, lo, hi, reverse=i in reverse, subscale=subscales.get(i)) for i in range(1, n + 1)
    )


def _worded(items: tuple[Item, ...], labels: tuple[str, ...]) -> tuple[Item, ...]:
    return tuple(replace(item, label=label) for item, label in zip(items, labels, strict=True))


#: Pfizer's PHQ-9 and GAD-7 (public, "without copyright restriction"), as printed.
PHQ_STEM = ("Over the last 2 weeks, how often have you been bothered by any of the following "
            "problems?")
PHQ_RESPONSES = ("Not at all", "Several days", "More than half the days", "Nearly every day")
PHQ9_WORDING = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your "
    "family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
    "being so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead, or of hurting yourself in some way",
)
GAD7_WORDING = (
    "Feeling nervous, anxious, or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
)


def _bands(*rows: tuple[float, float, str]) -> tuple[Band, ...]:
    return tuple(Band(lo, hi, label) for lo, hi, label in rows)


PHQ9 = Instrument(
    code="phq9",
    name="Patient Health Questionnaire-9 (PHQ-9)",
    items=_worded(_items(9, 0, 3), PHQ9_WORDING),
    item_stem=PHQ_STEM,
    response_labels=PHQ_RESPONSES,
    items_source=f"{FACTS}: 9 items scored 0-3 — https://www.calcipedia.org/calculators/phq-9-calculator",
    item_entry=SCORES_AS_PRINTED,
    total_range=(0, 27),
    total_range_source=f"{FACTS}: total 0-27 — https://www.calcipedia.org/calculators/phq-9-calculator",
    direction="higher_is_worse",
    scoring="sum",
    accepts_total=True,
    cutoff=Cutoff(10, "at_or_above", "IAPT caseness (>= 10)", source=f"{FACTS}: {IAPT}"),
    banding=Banding(
        _bands((0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"),
               (15, 19, "moderately severe"), (20, 27, "severe")),
        source=f"{FACTS}: https://www.calcipedia.org/calculators/phq-9-calculator ; "
        "https://mindsanctuary.net/surveys/PHQ-9",
    ),
    reliable_change=ReliableChange(6, source=f"{FACTS}: IAPT reliable improvement, a fall of >= 6 — {IAPT}"),
    flags=(
        Flag(9, 0, "PHQ-9 item 9 (self-harm) above 0: warrants immediate follow-up",
             source=f"{FACTS}: https://www.calcipedia.org/calculators/phq-9-calculator"),
    ),
    licence=PFIZER,
)

GAD7 = Instrument(
    code="gad7",
    name="Generalised Anxiety Disorder-7 (GAD-7)",
    items=_worded(_items(7, 0, 3), GAD7_WORDING),
    item_stem=PHQ_STEM.replace("any of the following", "the following"),
    response_labels=PHQ_RESPONSES,
    items_source=f"{FACTS}: 7 items scored 0-3 — https://scales.arabpsychology.com/index.php/s/gad-7-anxiety-severity/",
    item_entry=SCORES_AS_PRINTED,
    total_range=(0, 21),
    total_range_source=f"{FACTS}: total 0-21 — https://www.mrcpsych.uk/search/label/GAD-7 (Spitzer et al. 2006)",
    direction="higher_is_worse",
    scoring="sum",
    accepts_total=True,
    cutoff=Cutoff(8, "at_or_above", "IAPT caseness (>= 8)", source=f"{FACTS}: {IAPT}"),
    banding=Banding(
        _bands((0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 21, "severe")),
        source=f"{FACTS}: cut points 5, 10 and 15 — https://www.mrcpsych.uk/search/label/GAD-7",
        note="The sources give the cut points 5/10/15; the label 'minimal' for 0-4 is ours.",
    ),
    reliable_change=ReliableChange(4, source=f"{FACTS}: IAPT reliable improvement, a fall of >= 4 — {IAPT}"),
    licence=PFIZER,
)

EPDS = Instrument(
    code="epds",
    name="Edinburgh Postnatal Depression Scale (EPDS)",
    items=_items(10, 0, 3, reverse=(3, 5, 6, 7, 8, 9, 10)),
    items_source=(
        f"{FACTS}: 10 items; items 1, 2, 4 score 0-3 from the top response down; items 3 and 5-10 "
        "are reverse-scored 3-0 — https://download.skyscape.com/download/ota/lonestar/EC141A66-5D19-"
        "4C55-B6F5-258593CB6C25/psychnotes.ed6/content/HTML/t/tl0.htm"
    ),
    item_entry="position of the response ticked, 0 = top response; the engine reverses items 3, 5-10",
    neutral_responses="position",
    total_range=(0, 30),
    total_range_source=f"{FACTS}: maximum total 30 (RCPsych scoring notes, as above)",
    direction="higher_is_worse",
    scoring="sum",
    accepts_total=True,
    cutoff=Cutoff(
        13, "at_or_above", "possible depression (>= 13)",
        source=f"{FACTS}: >= 13 should be assessed; 12/13 in validation — "
        "https://www.medicalalgorithms.com/the-edinburgh-postnatal-depression-scale",
    ),
    banding=Banding(
        _bands((0, 9, "below threshold"), (10, 12, "at or above the sensitive threshold (>= 10)"),
               (13, 30, "possible depression (>= 13)")),
        source=f"{FACTS}: >= 13 possible depression; >= 10 where greater sensitivity is needed "
        "(RCPsych scoring notes, as above)",
        note="The EPDS has no severity bands; these three bands restate its two thresholds.",
    ),
    reliable_change=ReliableChange(
        4, source=f"{FACTS}: RCI 4 points, Matthey S 2004 J Affect Disord, "
        "doi:10.1016/S0165-0327(02)00313-0 — https://search.isc.ac/inventory/10/1430927.htm",
    ),
    flags=(
        Flag(10, 0, "EPDS item 10 (self-harm) above 0: always prompt further assessment",
             source=f"{FACTS}: RCPsych scoring notes, as above"),
    ),
    licence=Licence(
        text="(c) 1987 The Royal College of Psychiatrists. Written permission is needed for "
        "distribution or republication, including online. Record item scores or totals only.",
        may_ship_item_wording=False,
        source=f"{FACTS}: ucam-department-of-psychiatry/camcops docs/source/tasks/epds.rst",
    ),
)

CORE10 = Instrument(
    code="core10",
    name="Clinical Outcomes in Routine Evaluation-10 (CORE-10)",
    items=_items(10, 0, 4, reverse=(2, 3)),
    items_source=(
        f"{FACTS}: 10 items rated 0-4; items 2 and 3 reverse-scored; item 6 is the risk item — "
        "ucam-department-of-psychiatry/camcops server/camcops_server/tasks/core10.py"
    ),
    item_entry="position of the column ticked, 0 = 'Not at all' ... 4 = 'Most or all of the "
    "time'; the engine reverses items 2 and 3",
    total_range=(0, 40),
    total_range_source=f"{FACTS}: clinical score 0-40 — https://www.coresystemtrust.org.uk/"
    "whats-in-a-name-1-scoring-core-measures/",
    direction="higher_is_worse",
    scoring="mean_x10",
    total_is_integer=False,
    accepts_total=True,
    cutoff=Cutoff(
        11, "at_or_above", "clinical population (>= 11)",
        source=f"{FACTS}: clinical cut-off 11 — https://novopsych.com.au/assessments/outcome-"
        "monitoring/clinical-outcomes-in-routine-evaluation-10-core-10/ ; "
        "https://socasresourcehub.com/section-5b/5b-2-scoring-the-core-10-measure/",
    ),
    banding=Banding(
        _bands((0, 10, "healthy/low-level problems"), (11, 14, "mild psychological distress"),
               (15, 19, "moderate psychological distress"),
               (20, 24, "moderate-to-severe psychological distress"),
               (25, 40, "severe psychological distress")),
        source=f"{FACTS}: https://socasresourcehub.com/section-5b/5b-2-scoring-the-core-10-measure/ ; "
        "https://clientforms.app/forms/core-10",
        verified=False,
        note="Secondary sources conflict (https://helpineedsomebody.org/c-o-r-e-10-results/ gives "
        "0-5/6-10/11-15/16-20/21-25/26-40); the CORE-10 practice guide was not read.",
    ),
    reliable_change=ReliableChange(
        6, source=f"{FACTS}: about 6 points, Barkham et al. 2013 as cited by "
        "https://clientforms.app/forms/core-10",
        verified=False,
        note="Only secondary sources; not checked against Barkham et al. 2013.",
    ),
    missing=MissingRule(
        max_missing=1, prorate=True, platform_rule=False,
        source=f"{FACTS}: clinical score = item mean x 10; pro-rate if no more than one item is "
        "missing — https://www.coresystemtrust.org.uk/whats-in-a-name-1-scoring-core-measures/",
    ),
    flags=(
        Flag(6, 0, "CORE-10 item 6 (risk item) above 0: review risk",
             source=f"{FACTS}: item 6 is the risk item (camcops core10.py); flagging any score "
             "above 0 is a platform rule"),
    ),
    licence=Licence(
        text="(c) CORE System Trust, Creative Commons BY-NC-ND 4.0: non-commercial use, text must "
        "not be changed, copyright line must be shown.",
        may_ship_item_wording=True,
        source=f"{FACTS}: https://www.coresystemtrust.org.uk/home/copyright-licensing/",
    ),
    notes=("With one item missing the clinical score is the mean of nine items x 10 and may be "
           "fractional; it is not rounded.",),
)

_HADS_SOURCE = (
    "Zigmond & Snaith 1983, via https://chatchiropractic.com/hospital-anxiety-and-depression-scale-"
    "hads/ and https://bio-protocol.org/exchange/minidetail?id=9706213&type=30"
)
_HADS_BANDING = Banding(
    _bands((0, 7, "normal"), (8, 10, "borderline abnormal (borderline case)"),
           (11, 21, "abnormal (case)")),
    source=_HADS_SOURCE,
    verified=False,
    note="HADS is not in MEASURES-AND-RULES; two consistent secondary sources, original paper not read.",
)
_HADS_CUTOFF = Cutoff(
    11, "at_or_above", "abnormal (case, >= 11)", source=_HADS_SOURCE, verified=False,
    note="Secondary sources only. 8-10 is a 'possible case'; some studies use >= 8.",
)
HADS = Instrument(
    code="hads",
    name="Hospital Anxiety and Depression Scale (HADS)",
    items=_items(14, 0, 3, subscales={i: "anxiety" if i % 2 else "depression" for i in range(1, 15)}),
    items_source="14 items scored 0-3; anxiety = odd items, depression = even items — "
    "ucam-department-of-psychiatry/camcops server/camcops_server/tasks/hads.py",
    item_entry=SCORES_AS_PRINTED + "; the form prints each response's score, so keying is "
    "already applied and the engine reverses nothing",
    total_range=(0, 42),
    total_range_source="sum of two 0-21 subscales (camcops hads.py: MAX_ANX_SCORE = MAX_DEP_SCORE = 21)",
    direction="higher_is_worse",
    scoring="sum",
    accepts_total=True,
    subscales=(
        Subscale("anxiety", (1, 3, 5, 7, 9, 11, 13), (0, 21), _HADS_BANDING, _HADS_CUTOFF,
                 source="camcops hads.py ANXIETY_QUESTIONS"),
        Subscale("depression", (2, 4, 6, 8, 10, 12, 14), (0, 21), _HADS_BANDING, _HADS_CUTOFF,
                 source="camcops hads.py DEPRESSION_QUESTIONS"),
    ),
    reliable_change_note="No reliable change threshold found.",
    licence=Licence(
        text="Licensed instrument: do not ship item wording; record item scores or subscale totals.",
        may_ship_item_wording=False,
        source="Outcomes portal issue; camcops ships HADS as 'data collection only' (hads.py)",
    ),
    notes=("The HADS is interpreted by subscale: band and caseness are per subscale; the overall "
           "caseness is True when either subscale is a case. Enter recorded subscale totals with "
           "score('hads', subscales={'anxiety': a, 'depression': d}); a bare 0-42 total gives no "
           "band or caseness.",),
)

WEMWBS = Instrument(
    code="wemwbs",
    name="Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS)",
    items=_items(14, 1, 5),
    items_source=f"{FACTS}: 14 items scored 1-5 — https://warwick.ac.uk/fac/sci/med/research/"
    "platform/wemwbs/using/howto",
    item_entry=SCORES_AS_PRINTED + " (1-5)",
    total_range=(14, 70),
    total_range_source=f"{FACTS}: total 14-70 (Warwick, as above)",
    direction="higher_is_better",
    scoring="sum",
    accepts_total=True,
    banding=Banding(
        _bands((14, 40, "probable depression"), (41, 44, "possible depression"),
               (45, 59, "average"), (60, 70, "high")),
        source=f"{FACTS}: http://handlebar-online.com/?p=278779",
        verified=False,
        note="Marked UNVERIFIED in MEASURES-AND-RULES: one low-quality secondary source.",
    ),
    reliable_change_note=(
        "Not encoded: Maheswaran et al. 2012 give SEM 2.4-3.1 and a threshold of 2.77 x SEM, a "
        "range (about 6.6-8.6 points) rather than one number."
    ),
    licence=Licence(
        text="Free, but registration with Warwick is required; show the copyright line (c) NHS "
        "Health Scotland, University of Warwick and University of Edinburgh. Wording not shipped "
        "until registration is confirmed.",
        may_ship_item_wording=False,
        source=f"{FACTS}: https://www.corc.uk.net/outcome-experience-measures/short-warwick-"
        "edinburgh-mental-wellbeing-scale-swemwbs/",
    ),
    notes=("No caseness: the only cut-offs found (bands above; 43.5 against CES-D in research) "
           "are unverified or research-only.",),
)

ADULT = (PHQ9, GAD7, EPDS, CORE10, HADS, WEMWBS)
