"""Files kept encrypted in the database: Fernet under a key derived (HKDF-SHA256) from the
secret key for one purpose alone, so one use's key cannot open another's files (FOI reply
attachments, ADR 0029; quality evidence, ADR 0038). Earlier secret keys (SECRET_KEY_FALLBACKS)
still decrypt, so the secret key can be rotated without losing the files."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _fernet_for(secret: str, purpose: bytes) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=purpose).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _fernets(purpose: bytes) -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet_for(secret, purpose) for secret in secrets if secret])


def encrypt(data: bytes, *, purpose: bytes) -> bytes:
    return _fernets(purpose).encrypt(data)


def decrypt(token: bytes, *, purpose: bytes) -> bytes:
    return _fernets(purpose).decrypt(bytes(token))
