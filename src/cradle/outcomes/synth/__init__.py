"""Synthetic, clearly labelled teams and outcomes records, for the demo, tests and benchmarks.

- `generate.py` (with families, episodes, measures, profiles): plain rows from a seed, no
  Django, so the same seed always gives the same rows;
- `loader.py`: writes them with `bulk_create` in one transaction, with one audit entry for the
  whole run;
- `cradle synth` (management command) and `load()` below drive it.

    from cradle.outcomes.synth import load
    counts = load(teams=200, years=10, referrals_per_year=300, seed=1)
    # {"teams": 200, "cases": ..., "referrals": ..., "measures": ..., ...}

Synthetic teams are `Service` rows with `synthetic=True`; `Service.objects.real()` leaves
them out of every public listing, count and map.
"""


def load(**options):
    """Make synthetic teams and records in the database; see `loader.load` for the options.

    Imported lazily so that the generator modules stay importable without Django."""
    from .loader import load as load_into_database

    return load_into_database(**options)


def clear(**options):
    """Delete every synthetic team and its records; see `loader.clear`."""
    from .loader import clear as clear_database

    return clear_database(**options)
