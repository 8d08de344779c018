"""Minimised identifiers for outcomes case records (cradle.outcomes.identifiers).

Every valid NHS number below was checked by hand with the modulus 11 rule
(/work/shared/design/MEASURES-AND-RULES.md 4.1): weights 10..2 on digits 1-9, check digit =
11 - (sum mod 11), 11 -> 0, 10 -> no such number.
"""

import hashlib
import hmac
import re
from datetime import date, datetime

import pytest

from cradle.outcomes import identifiers
from cradle.outcomes.identifiers import (
    MIN_KEY_BYTES,
    PSEUDONYM_KEY_ENV,
    is_valid_nhs_number,
    load_pseudonym_key,
    month_of_birth,
    nhs_number_check_digit,
    nhs_number_pseudonym,
    normalise_nhs_number,
    postcode_district,
    validate_nhs_number,
)

# --------------------------------------------------------------------------------------------
# NHS numbers
# --------------------------------------------------------------------------------------------

VALID = [
    # 8*10+4*9+2*8+9*7+1*6+4*5+1*4+4*3+5*2 = 247; 247 mod 11 = 5; 11-5 = 6 (reference example)
    ("8429141456", "8429141456"),
    # 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299; mod 11 = 2; 11-2 = 9
    ("9434765919", "9434765919"),
    # 4*10+0+1*8+0+2*6+3*5+2*4+1*3+3*2 = 92; mod 11 = 4; 11-4 = 7
    ("4010232137", "4010232137"),
    # 2*10+1*2 = 22; mod 11 = 0; 11-0 = 11 -> check digit 0
    ("2000000010", "2000000010"),
    # 1*10 = 10; mod 11 = 10; 11-10 = 1
    ("1000000001", "1000000001"),
    # spacing variants of the reference example
    ("842 914 1456", "8429141456"),
    ("842-914-1456", "8429141456"),
    ("  8429141456  ", "8429141456"),
    ("842  914\t1456", "8429141456"),
    ("8 4 2 9 1 4 1 4 5 6", "8429141456"),
    ("943 476 5919\n", "9434765919"),
]

# (input, words the message must contain)
INVALID = [
    # wrong check digit
    ("8429141457", "does not match"),  # reference invalid example
    ("8429141450", "does not match"),
    ("9434765910", "does not match"),
    ("4010232136", "does not match"),
    ("2000000011", "does not match"),
    ("842 914 1457", "does not match"),
    # 1*10+2*9+3*8+4*7+5*6+6*5+7*4+8*3+9*2 = 210; mod 11 = 1; 11-1 = 10 -> no such number
    ("1234567890", "check digit of 10"),
    ("1234567891", "check digit of 10"),
    ("123 456 7899", "check digit of 10"),
    # 1*10+1*2 = 12; mod 11 = 1 -> 10
    ("1000000010", "check digit of 10"),
    # wrong length
    ("842914145", "exactly 10 digits; it has fewer"),
    ("84291414560", "exactly 10 digits; it has more"),
    ("842 914 145", "exactly 10 digits; it has fewer"),
    ("842 914 1456 0", "exactly 10 digits; it has more"),
    ("1", "exactly 10 digits; it has fewer"),
    ("", "empty"),
    ("   ", "empty"),
    (" - - ", "empty"),
    # letters and other characters
    ("842914145A", "only digits"),
    ("NHS8429141456", "only digits"),
    ("842.914.1456", "only digits"),
    ("842/914/1456", "only digits"),
    ("+448429141456", "only digits"),
    ("８４２９１４１４５６", "only digits"),  # full-width digits are not ASCII digits
    ("٨٤٢٩١٤١٤٥٦", "only digits"),  # Arabic-Indic digits
]


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_valid_nhs_numbers(text, expected):
    assert normalise_nhs_number(text) == expected
    assert validate_nhs_number(text) == expected
    assert is_valid_nhs_number(text) is True


@pytest.mark.parametrize(("text", "words"), INVALID)
def test_invalid_nhs_numbers(text, words):
    assert is_valid_nhs_number(text) is False
    with pytest.raises(ValueError, match=re.escape(words)) as excinfo:
        validate_nhs_number(text)
    message = str(excinfo.value)
    assert "the NHS number" in message
    # Never echo the number: no run of 3+ digits, and neither the raw nor compact input
    # (inputs under 3 characters could match "10 digits" by chance, so are skipped here).
    assert not re.search(r"[0-9]{3,}", message)
    compact = re.sub(r"[\s-]", "", text)
    if len(compact) >= 3:
        assert compact not in message
        assert text.strip() not in message


@pytest.mark.parametrize("text", ["8429141456", "842 914 1456", "8429141457", "1234567890"])
def test_normalise_does_not_check_the_check_digit(text):
    assert len(normalise_nhs_number(text)) == 10


@pytest.mark.parametrize("value", [8429141456, None, b"8429141456"])
def test_non_text_nhs_numbers(value):
    assert is_valid_nhs_number(value) is False
    with pytest.raises(TypeError):
        validate_nhs_number(value)


@pytest.mark.parametrize(
    ("nine", "check"),
    [("842914145", 6), ("943476591", 9), ("401023213", 7), ("200000001", 0), ("123456789", None)],
)
def test_check_digit(nine, check):
    assert nhs_number_check_digit(nine) == check


@pytest.mark.parametrize("bad", ["84291414", "8429141456", "84291414A", ""])
def test_check_digit_needs_nine_digits(bad):
    with pytest.raises(ValueError):
        nhs_number_check_digit(bad)


def test_every_nine_digit_prefix_has_at_most_one_valid_number():
    # Exactly one check digit works unless the check would be 10, in which case none does.
    for prefix in ("842914145", "123456789", "100000001", "555555555", "000000001"):
        valid = [d for d in "0123456789" if is_valid_nhs_number(prefix + d)]
        expected = nhs_number_check_digit(prefix)
        assert valid == ([] if expected is None else [str(expected)])


# --------------------------------------------------------------------------------------------
# Pseudonyms
# --------------------------------------------------------------------------------------------

KEY_A = b"A" * 32
KEY_B = bytes(range(48))


def test_pseudonym_is_hmac_sha256_hex_of_the_ten_digits():
    expected = hmac.new(KEY_A, b"8429141456", hashlib.sha256).hexdigest()
    assert nhs_number_pseudonym("8429141456", KEY_A) == expected
    assert re.fullmatch(r"[0-9a-f]{64}", expected)


def test_pseudonym_is_deterministic_per_key_and_ignores_spacing():
    first = nhs_number_pseudonym("8429141456", KEY_A)
    assert nhs_number_pseudonym("8429141456", KEY_A) == first
    assert nhs_number_pseudonym("842 914 1456", KEY_A) == first
    assert nhs_number_pseudonym("842-914-1456", bytearray(KEY_A)) == first


def test_pseudonym_differs_across_keys_and_numbers():
    a = nhs_number_pseudonym("8429141456", KEY_A)
    assert nhs_number_pseudonym("8429141456", KEY_B) != a
    assert nhs_number_pseudonym("9434765919", KEY_A) != a
    assert nhs_number_pseudonym("8429141456", KEY_A[:-1] + b"B") != a


def test_pseudonym_does_not_contain_the_number():
    assert "8429141456" not in nhs_number_pseudonym("8429141456", KEY_A)


@pytest.mark.parametrize("key", [b"", b"short", b"x" * (MIN_KEY_BYTES - 1)])
def test_short_key_refused(key):
    with pytest.raises(ValueError, match="at least 32 bytes"):
        nhs_number_pseudonym("8429141456", key)


def test_key_of_exactly_32_bytes_accepted():
    assert nhs_number_pseudonym("8429141456", b"k" * MIN_KEY_BYTES)


@pytest.mark.parametrize("key", ["A" * 32, None, 12345])
def test_key_must_be_bytes(key):
    with pytest.raises(TypeError):
        nhs_number_pseudonym("8429141456", key)


@pytest.mark.parametrize("number", ["8429141457", "1234567890", "842914145", "842914145A"])
def test_invalid_number_refused_before_hashing(number, monkeypatch):
    def no_hashing(*args, **kwargs):
        raise AssertionError("an invalid NHS number reached the HMAC")

    monkeypatch.setattr(identifiers.hmac, "new", no_hashing)
    with pytest.raises(ValueError) as excinfo:
        nhs_number_pseudonym(number, KEY_A)
    assert number not in str(excinfo.value)


def test_load_pseudonym_key_from_environment():
    secret = "s" * 40
    assert load_pseudonym_key({PSEUDONYM_KEY_ENV: secret}) == secret.encode()


def test_load_pseudonym_key_reads_os_environ(monkeypatch):
    monkeypatch.setenv(PSEUDONYM_KEY_ENV, "e" * 32)
    assert load_pseudonym_key() == b"e" * 32


@pytest.mark.parametrize(
    ("environ", "words"),
    [({}, "not set"), ({PSEUDONYM_KEY_ENV: ""}, "not set"), ({PSEUDONYM_KEY_ENV: "tiny"}, "short")],
)
def test_load_pseudonym_key_refuses_missing_or_short(environ, words):
    with pytest.raises(ValueError, match=words) as excinfo:
        load_pseudonym_key(environ)
    assert PSEUDONYM_KEY_ENV in str(excinfo.value)
    assert "tiny" not in str(excinfo.value)


# --------------------------------------------------------------------------------------------
# Postcode districts
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "district"),
    [
        # full postcodes, one of each outward shape
        ("M1 1AE", "M1"),  # A9
        ("B33 8TH", "B33"),  # A99
        ("CR2 6XH", "CR2"),  # AA9
        ("DN55 1PT", "DN55"),  # AA99
        ("W1A 0AX", "W1A"),  # A9A
        ("EC1A 1BB", "EC1A"),  # AA9A
        ("LS1 4AP", "LS1"),
        ("SW1A 2AA", "SW1A"),
        # lower case, no space, extra spaces
        ("sw1a2aa", "SW1A"),
        ("ls14ap", "LS1"),
        ("m11ae", "M1"),
        ("b338th", "B33"),
        ("DN551PT", "DN55"),
        ("ec1a 1bb", "EC1A"),
        ("  Ls1   4aP ", "LS1"),
        ("LS1\t4AP", "LS1"),
        # outward codes alone
        ("M1", "M1"),
        ("m1", "M1"),
        ("B33", "B33"),
        ("cr2", "CR2"),
        ("DN55", "DN55"),
        ("W1A", "W1A"),
        ("ec1a", "EC1A"),
        (" LS1 ", "LS1"),
    ],
)
def test_postcode_district(text, district):
    assert postcode_district(text) == district


BAD_POSTCODES = [
    "",
    "   ",
    "L",
    "LS",
    "1",
    "1LS 4AP",  # starts with a digit
    "LSS1 4AP",  # three letters
    "L1234",  # no inward part, outward too long
    "LS123",
    "W1AA",
    "SW1AB",
    "LS1 4A",  # short inward
    "LS1 44P",  # inward not digit-letter-letter
    "LS1 4AP X",
    "LS1 4AP1",
    "LS1-4AP",
    "4AP",  # inward part alone
    "GIR 0AA",  # non-geographic, not a district
    "L$1",
    "ＬＳ1 4AP",  # full-width letters
    "LS1 4AP LS1 4AP",
]


@pytest.mark.parametrize("text", BAD_POSTCODES)
def test_bad_postcodes(text):
    with pytest.raises(ValueError) as excinfo:
        postcode_district(text)
    # One fixed message for every bad input, so the input is never echoed.
    assert str(excinfo.value) == str(_postcode_error("!!"))


def _postcode_error(text):
    try:
        postcode_district(text)
    except ValueError as exc:
        return exc
    raise AssertionError("expected ValueError")


def test_postcode_error_message_is_clear():
    message = str(_postcode_error("nonsense"))
    assert "postcode" in message and "district" in message


@pytest.mark.parametrize("value", [None, 123, b"LS1 4AP"])
def test_postcode_must_be_text(value):
    with pytest.raises(TypeError):
        postcode_district(value)


def test_district_never_contains_the_inward_part():
    for text in ("LS1 4AP", "ls14ap", "EC1A 1BB", "DN551PT"):
        district = postcode_district(text)
        inward = re.sub(r"\s", "", text).upper()[-3:]
        assert not district.endswith(inward)
        assert len(district) <= 4


# --------------------------------------------------------------------------------------------
# Month of birth / expected due month
# --------------------------------------------------------------------------------------------

TODAY = date(2025, 6, 15)  # latest allowed month: 2026-04


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03", "2024-03"),
        (" 2024-03 ", "2024-03"),
        ("2000-01", "2000-01"),
        ("2025-06", "2025-06"),
        ("2026-04", "2026-04"),  # due month, 10 months ahead
        (date(2024, 3, 17), "2024-03"),  # the day is dropped
        (datetime(2024, 3, 17, 9, 30), "2024-03"),
        (date(2000, 1, 1), "2000-01"),
        (date(2026, 4, 30), "2026-04"),
    ],
)
def test_month_of_birth(value, expected):
    assert month_of_birth(value, today=TODAY) == expected


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1999-12", "too early"),
        (date(1999, 12, 31), "too early"),
        ("0000-01", "too early"),
        ("2026-05", "too far ahead"),
        (date(2026, 5, 1), "too far ahead"),
        ("2099-01", "too far ahead"),
        ("2024-13", "01-12"),
        ("2024-00", "01-12"),
        ("2024-3", "YYYY-MM"),
        ("24-03", "YYYY-MM"),
        ("03/2024", "YYYY-MM"),
        ("2024/03", "YYYY-MM"),
        ("2024-03-17", "YYYY-MM"),  # full dates of birth are not accepted as text
        ("March 2024", "YYYY-MM"),
        ("", "YYYY-MM"),
        ("２０２４-03", "YYYY-MM"),
    ],
)
def test_month_of_birth_rejects(value, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        month_of_birth(value, today=TODAY)


@pytest.mark.parametrize(
    ("today", "latest", "too_late"),
    [
        (date(2025, 3, 1), "2026-01", "2026-02"),  # crosses the year end
        (date(2025, 2, 28), "2025-12", "2026-01"),
        (date(2025, 12, 31), "2026-10", "2026-11"),
    ],
)
def test_due_month_window(today, latest, too_late):
    assert month_of_birth(latest, today=today) == latest
    with pytest.raises(ValueError, match="too far ahead"):
        month_of_birth(too_late, today=today)


def test_month_of_birth_defaults_to_today():
    assert month_of_birth(date.today()) == date.today().strftime("%Y-%m")


@pytest.mark.parametrize("value", [202403, None, (2024, 3)])
def test_month_of_birth_type(value):
    with pytest.raises(TypeError):
        month_of_birth(value, today=TODAY)
