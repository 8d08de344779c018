"""The reason for a correction: kept in the audit for good, so refused when it carries what
identifies someone (plain table, no database)."""

import pytest

from cradle.outcomes.reasons import MAX_REASON, BadReason, check_reason


@pytest.mark.parametrize("text, kept", [
    ("date typed wrong", "date typed wrong"),
    ("  entered on the\twrong   case ", "entered on the wrong case"),
    ("score 21 not 12", "score 21 not 12"),
    ("wrong month (March, not May)", "wrong month (March, not May)"),
    ("item 9 was 1", "item 9 was 1"),
])
def test_reasons_kept(text, kept):
    assert check_reason(text) == kept


@pytest.mark.parametrize("text, says", [
    ("", "give a reason"),
    ("ok", "give a reason"),
    (None, "give a reason"),
    ("x" * (MAX_REASON + 1), "at most"),
    ("NHS 9434765919", "long number"),
    ("NHS 943 476 5919", "long number"),
    ("call 07700 900123", "long number"),
    ("hospital no. 1234567", "long number"),
    ("sent to a.parent@example.org", "email"),
    ("lives at LS6 2AB now", "postcode"),
    ("lives at ls62ab now", "postcode"),
    ("dob 3/4/26", "full date"),
    ("dob 03-04-2026", "long number"),
    ("bell\x07", "characters"),
])
def test_reasons_refused_without_repeating_them(text, says):
    with pytest.raises(BadReason, match=says) as error:
        check_reason(text)
    if isinstance(text, str) and len(text) > 4:
        assert text.strip() not in str(error.value)
