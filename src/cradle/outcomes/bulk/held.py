"""Rows Cradle already holds: recognised by each record kind's natural key and skipped, so that
importing a file again (or a file that overlaps an earlier one) adds nothing twice.

The natural keys (a row matches a record of the same team):

- a case: its team reference (the case is reused, never created twice; `plan`);
- a referral: the case, the referral date and who referred;
- an episode: the case and the start date (the key the contacts sheet names it by);
- a contact: the episode, the date and how it was held;
- a measure: the case, the instrument, the timepoint and the date it was given.

Withdrawn records are not held (`.current()`): a row withdrawn as wrong and given again,
corrected, in a file is imported, not skipped as already held.

Only the key is compared: a held row is skipped as it is, never used to change the record
Cradle holds. Keys are counted, not just looked up, so a file giving a key twice when Cradle
holds it once adds the second (the team recorded two such contacts, say).
"""

from __future__ import annotations

from collections import Counter

from cradle.outcomes.models import Contact, Episode, MeasureAdministration, Referral

#: Each kind's natural key fields, as the database holds them (after the case or episode).
KEYS = {
    "referrals": ("referred_on", "referrer_type"),
    "episodes": ("started_on",),
    "contacts": ("on", "mode"),
    "measures": ("instrument", "timepoint", "administered_on"),
}
_MODELS = {"referrals": (Referral, "case", "case__team"),
           "episodes": (Episode, "case", "case__team"),
           "contacts": (Contact, "episode", "episode__case__team"),
           "measures": (MeasureAdministration, "case", "case__team")}
#: What the preview and the message call each kind.
NOUNS = {"referrals": "referral", "episodes": "episode", "contacts": "contact",
         "measures": "measure"}


def _held_keys(team, kind: str, owners: set[int]) -> tuple[Counter, dict]:
    """Counter of (owner pk, *key) over the team's records of `owners` (case or episode
    pks), and the pk of one record per key. Filtered by team, not by a list of thousands of
    pks (SQLite limits the parameters of a query)."""
    model, owner, team_path = _MODELS[kind]
    counter, pks = Counter(), {}
    if not owners:
        return counter, pks
    found = model.objects.current().filter(**{team_path: team}).values_list(f"{owner}_id", *KEYS[kind],
                                                                  "pk")
    for *key, pk in found.iterator(chunk_size=5000):
        if key[0] not in owners:
            continue
        counter[tuple(key)] += 1
        pks.setdefault(tuple(key), pk)
    return counter, pks


def held_rows(team, kind: str, rows: list[tuple[int, int | None, tuple]]) -> dict[int, int]:
    """`rows`: (index in the file's list, owner pk or None if the owner is new, key values).
    Returns index -> pk of the record Cradle holds, for each row it already holds."""
    counter, pks = _held_keys(team, kind, {owner for _i, owner, _k in rows if owner is not None})
    held = {}
    for index, owner, key in rows:
        full = (owner, *key)
        if owner is not None and counter[full] > 0:
            counter[full] -= 1
            held[index] = pks[full]
    return held
