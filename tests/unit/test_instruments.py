"""Outcome instruments: registry data and the one scoring engine (pure Python, no database).

Worked examples are built from the scoring rules in /work/shared/design/MEASURES-AND-RULES.md
(the manuals themselves were not available); every band edge is tested on both sides.
"""

from dataclasses import replace

import pytest

from cradle.outcomes.instruments import (
    REGISTRY,
    clinically_significant_improvement,
    reliable_change,
    score,
)
from cradle.outcomes.instruments.model import ReliableChange

CODES = {"phq9", "gad7", "core10", "epds", "hads", "wemwbs", "pirgas", "kips", "asqse2", "gbo"}
LICENSED = {"epds", "asqse2", "kips", "hads"}


# --- registry data ---------------------------------------------------------------------------


def test_registry_ships_every_required_instrument():
    assert set(REGISTRY) == CODES
    for code, inst in REGISTRY.items():
        assert inst.code == code


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_number_carries_a_source(code):
    inst = REGISTRY[code]
    assert inst.items_source and inst.total_range_source and inst.licence.source
    assert inst.missing.source
    parts = [inst.banding, inst.cutoff, inst.reliable_change, *inst.flags]
    for sub in inst.subscales:
        assert sub.source
        parts += [sub.banding, sub.cutoff]
    for part in parts:
        if part is not None:
            assert part.source.strip()
    if inst.reliable_change is None:
        assert inst.reliable_change_note, "say why there is no reliable change threshold"


@pytest.mark.parametrize("code", sorted(CODES))
def test_unverified_facts_say_why(code):
    inst = REGISTRY[code]
    parts = [inst.banding, inst.cutoff, inst.reliable_change]
    parts += [p for s in inst.subscales for p in (s.banding, s.cutoff)]
    for part in parts:
        if part is not None and not part.verified:
            assert part.note.strip()


def test_unverified_facts_are_the_expected_ones():
    assert REGISTRY["core10"].unverified_facts() == ("bands", "reliable change")
    assert REGISTRY["wemwbs"].unverified_facts() == ("bands",)
    assert REGISTRY["pirgas"].unverified_facts() == ("bands",)
    assert "anxiety cut-off" in REGISTRY["hads"].unverified_facts()
    for code in ("phq9", "gad7", "epds", "kips", "gbo", "asqse2"):
        assert REGISTRY[code].unverified_facts() == ()


@pytest.mark.parametrize("code", sorted(CODES))
def test_item_wording_is_shipped_only_where_the_licence_allows(code):
    inst = REGISTRY[code]
    if code in LICENSED:
        assert inst.licence.may_ship_item_wording is False
    if not inst.licence.may_ship_item_wording:
        assert all(item.label is None for item in inst.items)
        assert inst.response_labels == () and inst.item_stem == ""
        assert all(inst.item_text(item.number) == f"Item {item.number}" for item in inst.items)


WORDED = [("phq9", 1, "Little interest or pleasure in doing things"),
          ("phq9", 9, "Thoughts that you would be better off dead, or of hurting yourself in "
                      "some way"),
          ("gad7", 7, "Feeling afraid as if something awful might happen"),
          ("epds", 10, "Item 10"), ("hads", 1, "Item 1"), ("wemwbs", 14, "Item 14"),
          ("core10", 6, "Item 6"), ("kips", 1, "Item 1")]


@pytest.mark.parametrize(("code", "number", "text"), WORDED)
def test_item_text(code, number, text):
    assert REGISTRY[code].item_text(number) == text


RESPONSES = [
    ("phq9", 1, [(0, "Not at all (0)"), (1, "Several days (1)"),
                 (2, "More than half the days (2)"), (3, "Nearly every day (3)")]),
    ("epds", 3, [(0, "Response 1 (top)"), (1, "Response 2"), (2, "Response 3"),
                 (3, "Response 4 (bottom)")]),
    ("wemwbs", 1, [(1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5")]),
    ("gbo", 1, [(n, str(n)) for n in range(11)]),
]


@pytest.mark.parametrize(("code", "number", "options"), RESPONSES)
def test_response_options(code, number, options):
    assert REGISTRY[code].response_options(number) == options


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"code": "phq9", "items": [0] * 8}, None), ({"code": "epds", "items": [None] * 10}, None),
    ({"code": "hads", "subscales": {"anxiety": 3}}, None), ({"code": "pirgas", "items": [1]}, None),
    ({"code": "phq9", "items": [0, 0, None] + [0] * 6}, None)])
def test_messages_speak_plainly(kwargs, message):
    """No "None", no code names such as "phq9:" in what a user is shown."""
    with pytest.raises(ValueError) as excinfo:
        score(**kwargs)
    text = str(excinfo.value)
    assert "None" not in text and kwargs["code"] + ":" not in text
    assert f" {kwargs['code']} " not in text and "MEASURES" not in text


@pytest.mark.parametrize("code", sorted(c for c in CODES if REGISTRY[c].banding))
def test_bands_are_contiguous_and_cover_the_range(code):
    inst = REGISTRY[code]
    bands = inst.banding.bands
    step = 1 if inst.total_is_integer or code == "core10" else 0.1
    assert bands[0].low == inst.total_range[0]
    assert bands[-1].high == inst.total_range[1]
    for lower, upper in zip(bands, bands[1:], strict=False):
        assert upper.low == pytest.approx(lower.high + step)


# --- worked examples -------------------------------------------------------------------------

WORKED = [
    # code, items, total, band, caseness
    ("phq9", [1, 2, 1, 0, 3, 1, 0, 2, 1], 11, "moderate", True),
    ("gad7", [2, 1, 1, 0, 1, 2, 1], 8, "mild", True),
    # EPDS responses by position (0 = top): reversed items 3 and 5-10 score 3 - position.
    # scored: 1, 1, 3-2, 1, 3-2, 3-1, 3-2, 3-3, 3-2, 3-3 = 1+1+1+1+1+2+1+0+1+0
    ("epds", [1, 1, 2, 1, 2, 1, 2, 3, 2, 3], 9, "below threshold", False),
    ("epds", [0] * 10, 21, "possible depression (>= 13)", True),
    # CORE-10: items 2 and 3 reversed (1 -> 3).
    ("core10", [2, 1, 1, 2, 2, 0, 3, 2, 3, 1], 21, "moderate-to-severe psychological distress", True),
    ("hads", [2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 1, 1, 0, 1], 18, None, True),
    ("wemwbs", [3] * 14, 42, "possible depression", None),
    ("kips", [4] * 6 + [3] * 6, 3.5, "moderate quality", None),
    ("gbo", [2, 5, None], 3.5, None, None),
    ("gbo", {1: 7}, 7, None, None),
]


@pytest.mark.parametrize(("code", "items", "total", "band", "caseness"), WORKED)
def test_worked_examples(code, items, total, band, caseness):
    result = score(code, items=items)
    assert result.total == pytest.approx(total)
    assert result.band == band
    assert result.caseness is caseness


def test_hads_subscales_from_items():
    result = score("hads", items=[2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 1, 1, 0, 1])
    assert result.subscales == {"anxiety": 11, "depression": 7}
    assert result.subscale_bands == {"anxiety": "abnormal (case)", "depression": "normal"}
    assert result.subscale_caseness == {"anxiety": True, "depression": False}


def test_hads_recorded_subscale_totals():
    result = score("hads", subscales={"anxiety": 9, "depression": 12})
    assert result.total == 21
    assert result.subscale_bands["anxiety"] == "borderline abnormal (borderline case)"
    assert result.caseness is True
    bare = score("hads", total=21)
    assert bare.band is None and bare.caseness is None and bare.subscales == {}


def test_total_only_instruments():
    assert score("pirgas", total=55).band == "distressed"
    asq = score("asqse2", total=45)
    assert (asq.total, asq.band, asq.caseness) == (45, None, None)
    assert any("NOT FOUND" in note for note in asq.notes)


def test_sequence_and_mapping_agree():
    seq = score("phq9", items=[1, 2, 1, 0, 3, 1, 0, 2, 1])
    mapping = score("phq9", items=dict(enumerate([1, 2, 1, 0, 3, 1, 0, 2, 1], 1)))
    assert seq == mapping
    assert score("phq9", items=[1.0, 2, 1, 0, 3, 1, 0, 2, 1]).total == 11


# --- band edges, both sides ------------------------------------------------------------------

EDGES = {
    "phq9": [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"),
             (14, "moderate"), (15, "moderately severe"), (19, "moderately severe"),
             (20, "severe"), (27, "severe")],
    "gad7": [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"),
             (14, "moderate"), (15, "severe"), (21, "severe")],
    "epds": [(0, "below threshold"), (9, "below threshold"),
             (10, "at or above the sensitive threshold (>= 10)"),
             (12, "at or above the sensitive threshold (>= 10)"),
             (13, "possible depression (>= 13)"), (30, "possible depression (>= 13)")],
    "core10": [(0, "healthy/low-level problems"), (10, "healthy/low-level problems"),
               (10.9, "healthy/low-level problems"), (11, "mild psychological distress"),
               (14, "mild psychological distress"), (15, "moderate psychological distress"),
               (19, "moderate psychological distress"),
               (20, "moderate-to-severe psychological distress"),
               (24, "moderate-to-severe psychological distress"),
               (25, "severe psychological distress"), (40, "severe psychological distress")],
    "wemwbs": [(14, "probable depression"), (40, "probable depression"),
               (41, "possible depression"), (44, "possible depression"), (45, "average"),
               (59, "average"), (60, "high"), (70, "high")],
    "pirgas": [(1, "documented maltreatment"), (10, "documented maltreatment"),
               (11, "grossly impaired"), (20, "grossly impaired"), (21, "severely disordered"),
               (30, "severely disordered"), (31, "disordered"), (40, "disordered"),
               (41, "disturbed"), (50, "disturbed"), (51, "distressed"), (60, "distressed"),
               (61, "significantly perturbed"), (70, "significantly perturbed"),
               (71, "perturbed"), (80, "perturbed"), (81, "adapted"), (90, "adapted"),
               (91, "well adapted"), (100, "well adapted")],
    "kips": [(1.0, "low quality (parenting concerns)"), (2.9, "low quality (parenting concerns)"),
             (2.95, "low quality (parenting concerns)"), (3.0, "moderate quality"),
             (3.9, "moderate quality"), (4.0, "high quality"), (5.0, "high quality")],
}


@pytest.mark.parametrize(
    ("code", "total", "band"), [(c, t, b) for c, rows in EDGES.items() for t, b in rows]
)
def test_band_edges(code, total, band):
    assert score(code, total=total).band == band


@pytest.mark.parametrize(
    ("value", "band"),
    [(0, "normal"), (7, "normal"), (8, "borderline abnormal (borderline case)"),
     (10, "borderline abnormal (borderline case)"), (11, "abnormal (case)"),
     (21, "abnormal (case)")],
)
def test_hads_subscale_band_edges(value, band):
    result = score("hads", subscales={"anxiety": value, "depression": value})
    assert result.subscale_bands == {"anxiety": band, "depression": band}


# --- caseness at the cut-off -----------------------------------------------------------------

CASENESS = [
    ("phq9", 9, False), ("phq9", 10, True),
    ("gad7", 7, False), ("gad7", 8, True),
    ("epds", 12, False), ("epds", 13, True),
    ("core10", 10, False), ("core10", 10.9, False), ("core10", 11, True),
    ("pirgas", 39, True), ("pirgas", 40, False),
    ("wemwbs", 30, None), ("kips", 2.0, None), ("gbo", 2, None), ("asqse2", 200, None),
]


@pytest.mark.parametrize(("code", "total", "caseness"), CASENESS)
def test_caseness_at_cutoff(code, total, caseness):
    assert score(code, total=total).caseness is caseness


@pytest.mark.parametrize(("value", "case"), [(10, False), (11, True)])
def test_hads_caseness_at_cutoff(value, case):
    assert score("hads", subscales={"anxiety": value, "depression": 0}).caseness is case
    assert score("hads", subscales={"anxiety": 0, "depression": value}).caseness is case


# --- reverse-scored items --------------------------------------------------------------------


def test_epds_reverse_items():
    # Top response everywhere: items 1, 2, 4 score 0, the seven reversed items score 3.
    assert score("epds", items=[0] * 10).total == 21
    # Bottom response everywhere: 3 + 3 + 0 + 3 + 0 * 6.
    assert score("epds", items=[3] * 10).total == 9


def test_core10_reverse_items():
    assert score("core10", items=[0] * 10).total == 8
    assert score("core10", items=[4] * 10).total == 32


def test_instruments_without_reverse_items():
    for code in ("phq9", "gad7", "hads", "wemwbs", "kips", "gbo"):
        assert not any(item.reverse for item in REGISTRY[code].items)


# --- missing-item rules ----------------------------------------------------------------------


@pytest.mark.parametrize("code", ["phq9", "gad7", "epds", "hads", "wemwbs", "kips"])
def test_no_missing_items_allowed(code):
    n = len(REGISTRY[code].items)
    items = [REGISTRY[code].items[0].minimum] * n
    items[3] = None
    with pytest.raises(ValueError, match="item 4 missing"):
        score(code, items=items)


def test_core10_prorates_one_missing_item():
    result = score("core10", items=[2, 2, 2, 2, 2, 2, 2, 2, 2, None])
    assert result.total == pytest.approx(20.0)
    assert result.complete is False
    prorated = score("core10", items=[1, 4, 4, 1, 1, 0, 1, 1, 1, None])
    assert prorated.total == pytest.approx(60 / 9)


def test_core10_rejects_two_missing_items():
    with pytest.raises(ValueError, match="item 9, item 10 missing"):
        score("core10", items=[2] * 8 + [None, None])


def test_gbo_needs_at_least_one_goal():
    assert score("gbo", items=[4, None, None]).total == 4
    with pytest.raises(ValueError, match="item 1, item 2, item 3 missing"):
        score("gbo", items=[None, None, None])


def test_complete_scores_are_complete():
    assert score("phq9", items=[0] * 9).complete is True
    assert score("gbo", items=[1, 2, 3]).complete is True


# --- flags -----------------------------------------------------------------------------------

FLAG_CASES = [
    ("phq9", [0] * 8 + [0], 0),
    ("phq9", [0] * 8 + [1], 1),
    ("epds", [0] * 9 + [3], 0),  # item 10, bottom response ("never") scores 0
    ("epds", [0] * 9 + [2], 1),  # item 10 scores 1
    ("core10", [0] * 5 + [0] + [0] * 4, 0),
    ("core10", [0] * 5 + [1] + [0] * 4, 1),
]


@pytest.mark.parametrize(("code", "items", "n_flags"), FLAG_CASES)
def test_self_harm_flags(code, items, n_flags):
    assert len(score(code, items=items).flags) == n_flags


def test_flags_not_computable_from_a_total():
    result = score("phq9", total=20)
    assert result.flags == ()
    assert any("item 9" in note for note in result.notes)


# --- validation ------------------------------------------------------------------------------

INVALID = [
    ({"code": "phq9", "items": [0] * 8 + [4]}, "item 9: 4 is above the maximum of 3"),
    ({"code": "gad7", "items": [-1] + [0] * 6}, "item 1: -1 is below the minimum of 0"),
    ({"code": "wemwbs", "items": [3] * 13 + [0]}, "item 14: 0 is below the minimum of 1"),
    ({"code": "kips", "items": [3, 1.5] + [3] * 10}, "item 2: give a whole number"),
    ({"code": "phq9", "items": ["2"] + [0] * 8}, "item 1: give a number"),
    ({"code": "phq9", "items": [True] + [0] * 8}, "item 1: give a number"),
    ({"code": "phq9", "items": [0] * 8}, "the PHQ-9 has 9 items and 8 were given"),
    ({"code": "phq9", "items": {10: 1}}, "item 10: the PHQ-9 has items 1 to 9 only"),
    ({"code": "phq9", "items": "000000000"}, "item scores in order, item 1 first"),
    ({"code": "phq9"}, "one of them, not more"),
    ({"code": "phq9", "items": [0] * 9, "total": 0}, "one of them, not more"),
    ({"code": "phq9", "total": 28}, "total: 28 is above the maximum of 27"),
    ({"code": "phq9", "total": 10.5}, "total: give a whole number"),
    ({"code": "kips", "total": 5.1}, "total: 5.1 is above the maximum of 5.0"),
    ({"code": "pirgas", "total": 0}, "total: 0 is below the minimum of 1"),
    ({"code": "pirgas", "items": [50]}, "the PIR-GAS has no item scores: give the total"),
    ({"code": "asqse2", "total": -5}, "total: -5 is below the minimum of 0"),
    ({"code": "hads", "subscales": {"anxiety": 3}}, "give the HADS subscale totals: anxiety and depression"),
    ({"code": "hads", "subscales": {"anxiety": 22, "depression": 0}},
     "subscale anxiety: 22 is above the maximum of 21"),
    ({"code": "phq9", "subscales": {"x": 1}}, "has no subscales"),
    ({"code": "phq10", "total": 1}, "unknown instrument 'phq10'; known codes: asqse2, core10"),
]


@pytest.mark.parametrize(("kwargs", "message"), INVALID)
def test_invalid_input_raises_naming_the_problem(kwargs, message):
    with pytest.raises(ValueError) as excinfo:
        score(**kwargs)
    assert message in str(excinfo.value)


# --- reliable change and clinically significant improvement ----------------------------------

RELIABLE = [
    ("phq9", 15, 9, "improved"), ("phq9", 15, 10, "no reliable change"),
    ("phq9", 10, 16, "deteriorated"), ("phq9", 10, 15, "no reliable change"),
    ("gad7", 12, 8, "improved"), ("gad7", 12, 9, "no reliable change"),
    ("gad7", 8, 12, "deteriorated"),
    ("epds", 14, 10, "improved"), ("epds", 14, 11, "no reliable change"),
    ("epds", 10, 14, "deteriorated"),
    ("core10", 20, 14, "improved"), ("core10", 20, 14.5, "no reliable change"),
    ("core10", 14, 20, "deteriorated"),
    ("wemwbs", 30, 60, None), ("hads", 10, 20, None), ("kips", 2, 4, None),
    ("pirgas", 30, 80, None), ("gbo", 1, 9, None), ("asqse2", 100, 20, None),
]


@pytest.mark.parametrize(("code", "before", "after", "expected"), RELIABLE)
def test_reliable_change(code, before, after, expected):
    assert reliable_change(code, before, after) == expected


def test_reliable_change_respects_higher_is_better(monkeypatch):
    test_inst = replace(REGISTRY["wemwbs"], code="test",
                        reliable_change=ReliableChange(3, source="test threshold"))
    monkeypatch.setitem(REGISTRY, "test", test_inst)
    assert reliable_change("test", 40, 43) == "improved"
    assert reliable_change("test", 40, 42) == "no reliable change"
    assert reliable_change("test", 43, 40) == "deteriorated"


def test_reliable_change_validates_scores():
    with pytest.raises(ValueError, match="after: 28 is above the maximum of 27"):
        reliable_change("phq9", 10, 28)
    with pytest.raises(ValueError, match="unknown instrument"):
        reliable_change("nope", 1, 2)


CSI = [
    ("phq9", 12, 5, True),    # case -> not case, fall of 7
    ("phq9", 12, 8, False),   # not a case after, but a fall of 4 is not reliable
    ("phq9", 9, 2, False),    # not a case before
    ("phq9", 16, 10, False),  # reliable improvement but still a case
    ("gad7", 10, 6, True),
    ("epds", 13, 9, True), ("epds", 13, 10, False),
    ("core10", 16, 10, True),
    ("wemwbs", 30, 60, None), ("pirgas", 30, 80, None), ("hads", 20, 5, None),
]


@pytest.mark.parametrize(("code", "before", "after", "expected"), CSI)
def test_clinically_significant_improvement(code, before, after, expected):
    assert clinically_significant_improvement(code, before, after) is expected
