from tests.foi_helpers import receiver  # noqa: F401 (a fixture for the FOI reply tests)
from tests.outcomes_helpers import (  # noqa: F401 (fixtures for the outcomes page tests)
    practitioner,
    pseudonym_key,
    signed_in,
    team,
)
