"""Minimised identifiers for outcomes case records (pure Python, no Django).

The outcomes portal keeps as little about a family as it can:

* the NHS number only as a keyed pseudonym (HMAC-SHA256), and only after the number has
  passed its modulus 11 check digit;
* the baby's month and year of birth (or expected due month), never the full date;
* the postcode district (outward code), never the inward part of the postcode.

Error messages never repeat the value they reject: an NHS number or a postcode is personal
data and error messages end up in logs, so they say "the NHS number" or "the postcode".

NHS number rule (docs: /work/shared/design/MEASURES-AND-RULES.md section 4.1; NHS Data
Dictionary "NHS NUMBER"; codonlibrary/codonPython ``nhsNumber.py``): multiply digits 1-9 by
weights 10, 9, ..., 2, sum, take the remainder mod 11 and subtract it from 11. A result of 11
means a check digit of 0; a result of 10 means no valid NHS number has those first nine
digits. The check digit must equal the 10th digit.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Mapping
from datetime import date

__all__ = [
    "MIN_KEY_BYTES",
    "PSEUDONYM_KEY_ENV",
    "EARLIEST_MONTH",
    "DUE_MONTH_WINDOW",
    "is_valid_nhs_number",
    "load_pseudonym_key",
    "month_of_birth",
    "nhs_number_check_digit",
    "nhs_number_pseudonym",
    "normalise_nhs_number",
    "postcode_district",
    "validate_nhs_number",
]

# --------------------------------------------------------------------------------------------
# NHS number
# --------------------------------------------------------------------------------------------

_NHS_SEPARATORS = re.compile(r"[\s-]+")
_TEN_DIGITS = re.compile(r"[0-9]{10}", re.ASCII)
_NINE_DIGITS = re.compile(r"[0-9]{9}", re.ASCII)
_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def normalise_nhs_number(text: str) -> str:
    """Return the NHS number as 10 plain digits.

    Spaces and hyphens are removed ("842 914 1456", "842-914-1456"). Anything else that is
    not an ASCII digit, or a length other than 10 digits, raises ``ValueError``. The check
    digit is *not* tested here; see :func:`validate_nhs_number`.
    """
    if not isinstance(text, str):
        raise TypeError("the NHS number must be given as text")
    compact = _NHS_SEPARATORS.sub("", text)
    if not compact:
        raise ValueError("the NHS number is empty")
    if not _TEN_DIGITS.fullmatch(compact):
        if not compact.isascii() or not compact.isdigit():
            raise ValueError(
                "the NHS number must contain only digits (spaces and hyphens are allowed "
                "between them)"
            )
        # The length is not given as a figure: for a short input it could echo the input.
        fewer_or_more = "fewer" if len(compact) < 10 else "more"
        raise ValueError(f"the NHS number must be exactly 10 digits; it has {fewer_or_more}")
    return compact


def nhs_number_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit for nine digits, or ``None`` if it would be 10 (no number)."""
    if not isinstance(first_nine, str) or not _NINE_DIGITS.fullmatch(first_nine):
        raise ValueError("the check digit is computed from exactly 9 digits")
    total = sum(int(d) * w for d, w in zip(first_nine, _WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def validate_nhs_number(text: str) -> str:
    """Normalise and check an NHS number; return the 10 digits or raise ``ValueError``.

    The message says what is wrong (not 10 digits, check digit does not match, or the check
    digit would be 10 so no such number exists) without repeating the number.
    """
    number = normalise_nhs_number(text)
    expected = nhs_number_check_digit(number[:9])
    if expected is None:
        raise ValueError(
            "the NHS number is not valid: its first nine digits give a check digit of 10, "
            "so no NHS number starts with them (check it has been copied correctly)"
        )
    if expected != int(number[9]):
        raise ValueError(
            "the NHS number is not valid: its last digit (the check digit) does not match "
            "the other nine digits (check it has been copied correctly)"
        )
    return number


def is_valid_nhs_number(text: str) -> bool:
    """True if *text* is a 10-digit NHS number (spaces/hyphens allowed) with a correct check digit."""
    try:
        validate_nhs_number(text)
    except (TypeError, ValueError):
        return False
    return True


# --------------------------------------------------------------------------------------------
# Pseudonym
# --------------------------------------------------------------------------------------------

#: Environment variable holding the pseudonym key.
PSEUDONYM_KEY_ENV = "CRADLE_PSEUDONYM_KEY"
#: Shortest key accepted (256 bits, the HMAC-SHA256 output size).
MIN_KEY_BYTES = 32


def _check_key(key: bytes) -> bytes:
    if not isinstance(key, bytes | bytearray):
        raise TypeError("the pseudonym key must be bytes")
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(
            f"the pseudonym key is too short: it must be at least {MIN_KEY_BYTES} bytes, "
            f"not {len(key)}"
        )
    return bytes(key)


def load_pseudonym_key(environ: Mapping[str, str] | None = None) -> bytes:
    """Read the pseudonym key from ``CRADLE_PSEUDONYM_KEY`` (UTF-8 encoded to bytes).

    Raises ``ValueError`` if it is unset or shorter than 32 bytes. Generate one with e.g.
    ``python -c "import secrets; print(secrets.token_urlsafe(48))"``. The message never
    contains the key.
    """
    env = os.environ if environ is None else environ
    value = env.get(PSEUDONYM_KEY_ENV, "")
    if not value:
        raise ValueError(
            f"{PSEUDONYM_KEY_ENV} is not set: it is needed to pseudonymise NHS numbers"
        )
    try:
        return _check_key(value.encode("utf-8"))
    except ValueError:
        raise ValueError(
            f"{PSEUDONYM_KEY_ENV} is too short: it must be at least {MIN_KEY_BYTES} bytes"
        ) from None


def nhs_number_pseudonym(number: str, key: bytes) -> str:
    """Keyed pseudonym of an NHS number: HMAC-SHA256 of its 10 digits, as 64 hex characters.

    The number is validated first (:func:`validate_nhs_number`); an invalid number is
    refused with ``ValueError`` and never hashed. Spacing does not matter: "842 914 1456"
    and "8429141456" give the same pseudonym.

    *key* is the secret from the environment variable ``CRADLE_PSEUDONYM_KEY`` (see
    :func:`load_pseudonym_key`) and must be at least 32 bytes. The same number always gives
    the same pseudonym under the same key, so records can be linked without storing the
    number; without the key the pseudonym cannot be reversed by hashing all 10-digit numbers.

    Rotating the key changes **every** pseudonym: stored pseudonyms no longer match new ones.
    Rotation therefore needs a re-keying plan (e.g. re-pseudonymise at the next contact while
    both keys are held, or accept that links across the rotation are broken). Losing the key
    breaks all future linking; leaking it lets anyone holding a list of NHS numbers re-identify
    records.
    """
    key = _check_key(key)
    digits = validate_nhs_number(number)
    return hmac.new(key, digits.encode("ascii"), hashlib.sha256).hexdigest()


# --------------------------------------------------------------------------------------------
# Postcode district
# --------------------------------------------------------------------------------------------

# Outward code shapes: A9, A99, AA9, AA99, A9A, AA9A. Shape only: the letters allowed in each
# position (e.g. no Q, V, X first) are not checked, nor whether the district exists.
_OUTWARD = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?", re.ASCII)
_INWARD = re.compile(r"[0-9][A-Z]{2}", re.ASCII)
_BAD_POSTCODE = (
    "the postcode is not in a recognised UK format: give a full postcode (e.g. LS1 4AP) or "
    "its first part, the postcode district (e.g. LS1)"
)


def postcode_district(text: str) -> str:
    """Return the postcode district (outward code), upper-cased, from a postcode or district.

    "LS1 4AP" -> "LS1", "sw1a2aa" -> "SW1A", "M1" -> "M1". The inward part (the last three
    characters, digit-letter-letter) is dropped and never returned. Raises ``ValueError``
    for anything that is not a UK postcode or outward code in shape; the message does not
    repeat the input. Special non-geographic codes such as "GIR 0AA" are rejected.
    """
    if not isinstance(text, str):
        raise TypeError("the postcode must be given as text")
    parts = text.upper().split()
    if len(parts) == 1:
        compact = parts[0]
        # A full postcode is 5-7 characters ending digit-letter-letter; an outward code alone
        # is 2-4 characters and never ends in two letters, so the split is unambiguous.
        if 5 <= len(compact) <= 7 and _INWARD.fullmatch(compact[-3:]):
            outward = compact[:-3]
        else:
            outward = compact
    elif len(parts) == 2 and _INWARD.fullmatch(parts[1]):
        outward = parts[0]
    else:
        raise ValueError(_BAD_POSTCODE)
    if not _OUTWARD.fullmatch(outward):
        raise ValueError(_BAD_POSTCODE)
    return outward


# --------------------------------------------------------------------------------------------
# Month of birth / expected due month
# --------------------------------------------------------------------------------------------

#: Earliest month accepted.
EARLIEST_MONTH = (2000, 1)
#: How many months after the current month an expected due month may be.
DUE_MONTH_WINDOW = 10

_YEAR_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})", re.ASCII)


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def month_of_birth(value: str | date, *, today: date | None = None) -> str:
    """Normalise a month of birth or expected due month to "YYYY-MM".

    Accepts "YYYY-MM" text (surrounding spaces ignored) or a ``date``/``datetime``, whose day
    is dropped: full dates of birth are never stored. The month must lie between 2000-01 and
    ten months after the current month (an expected due month) inclusive; otherwise, or if the
    text is not "YYYY-MM", ``ValueError`` is raised. *today* defaults to ``date.today()``.
    """
    if isinstance(value, date):
        year, month = value.year, value.month
    elif isinstance(value, str):
        match = _YEAR_MONTH.fullmatch(value.strip())
        if not match:
            raise ValueError(
                "the month of birth or due month must be given as year and month, YYYY-MM "
                "(e.g. 2024-03)"
            )
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError("the month of birth or due month has a month outside 01-12")
    else:
        raise TypeError("the month of birth must be text (YYYY-MM) or a date")
    today = date.today() if today is None else today
    latest = _add_months(today.year, today.month, DUE_MONTH_WINDOW)
    if (year, month) < EARLIEST_MONTH:
        raise ValueError(
            "the month of birth or due month is too early: it must be "
            f"{EARLIEST_MONTH[0]:04d}-{EARLIEST_MONTH[1]:02d} or later"
        )
    if (year, month) > latest:
        raise ValueError(
            "the month of birth or due month is too far ahead: an expected due month can be "
            f"at most {DUE_MONTH_WINDOW} months from now ({latest[0]:04d}-{latest[1]:02d})"
        )
    return f"{year:04d}-{month:02d}"
