"""The second factor's secrets at rest: authenticator-app keys encrypted, recovery codes keyed
hashes, both under CRADLE_SECOND_FACTOR_KEY from the environment (never in the database).

A copy of the database alone therefore yields no usable second factor: the app keys are
Fernet tokens (AES-128-CBC with an HMAC-SHA256 tag) and the recovery codes are HMAC-SHA256
digests, keyed by two keys derived (HKDF) from the environment's key, one for each purpose.

Rotation: put the new key in CRADLE_SECOND_FACTOR_KEY and the old one in
CRADLE_SECOND_FACTOR_KEY_FALLBACKS (comma-separated). Tokens and digests made under a fallback
are still accepted; `cradle rotatesecondfactorkey` re-encrypts every app key under the new key
(recovery codes cannot be re-hashed, as their codes are not kept: they work under the fallback
until their owners make new ones).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_ENV = "CRADLE_SECOND_FACTOR_KEY"
FALLBACKS_ENV = "CRADLE_SECOND_FACTOR_KEY_FALLBACKS"
MIN_KEY_BYTES = 32
_APP_KEY_PURPOSE = b"cradle second factor: authenticator app keys"
_RECOVERY_CODE_PURPOSE = b"cradle second factor: recovery codes"


class UnreadableSecret(Exception):
    """An app key that none of the configured keys decrypts (a wrong or missing key)."""


def configured_keys() -> list[bytes]:
    """The current key, then the fallbacks, from settings.SECOND_FACTOR_KEYS (which
    settings.py reads from the environment). The message never contains a key."""
    keys = [key for key in getattr(settings, "SECOND_FACTOR_KEYS", []) if key]
    if not keys:
        raise ImproperlyConfigured(
            f"{KEY_ENV} is not set: it encrypts the second factor's secrets. Set it to a long "
            "random value (python -c 'import secrets; print(secrets.token_urlsafe(48))').")
    encoded = [key.encode() if isinstance(key, str) else bytes(key) for key in keys]
    if any(len(key) < MIN_KEY_BYTES for key in encoded):
        raise ImproperlyConfigured(
            f"{KEY_ENV} (or one of {FALLBACKS_ENV}) is too short: each must be at least "
            f"{MIN_KEY_BYTES} bytes")
    return encoded


def _derive(key: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(key)


def _fernet(keys: Sequence[bytes]) -> MultiFernet:
    return MultiFernet([Fernet(base64.urlsafe_b64encode(_derive(key, _APP_KEY_PURPOSE)))
                        for key in keys])


def encrypt_app_key(raw: bytes) -> str:
    """An authenticator app's secret, encrypted under the current key."""
    return _fernet(configured_keys()).encrypt(raw).decode()


def decrypt_app_key(token: str) -> bytes:
    try:
        return _fernet(configured_keys()).decrypt(token.encode())
    except InvalidToken:
        raise UnreadableSecret(
            f"an authenticator app key cannot be decrypted with {KEY_ENV} or its "
            "fallbacks") from None


def reencrypt_app_key(token: str) -> str:
    """The same secret encrypted under the current key (for rotation)."""
    try:
        return _fernet(configured_keys()).rotate(token.encode()).decode()
    except InvalidToken:
        raise UnreadableSecret(f"an authenticator app key cannot be decrypted with {KEY_ENV} "
                               "or its fallbacks") from None


def _digest(key: bytes, owner: str, code: str) -> str:
    message = f"{owner}:{code}".encode()
    return hmac.new(_derive(key, _RECOVERY_CODE_PURPOSE), message, hashlib.sha256).hexdigest()


def recovery_code_digest(owner, code: str) -> str:
    """The stored form of a recovery code: HMAC-SHA256 under the current key, bound to its
    owner (the user's id), so the same code of two people has two digests."""
    return _digest(configured_keys()[0], str(owner), code)


def recovery_code_matches(owner, code: str, stored: str) -> bool:
    """Whether `code` is the one behind `stored`, under the current key or a fallback;
    compared in constant time."""
    return any(hmac.compare_digest(_digest(key, str(owner), code), stored)
               for key in configured_keys())
