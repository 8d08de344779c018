from tests.outcomes_helpers import (  # noqa: F401 (fixtures for the outcomes page tests)
    practitioner,
    pseudonym_key,
    signed_in,
    team,
)
