"""Reply attachments at rest: Fernet under a key derived from the secret key for this use alone.

Kept in the database rather than on disk, so the mail receiver and the web servers need share
nothing but the database, a refused transaction leaves no orphaned file, and backups hold them
(ADR 0029). The earlier secret keys (SECRET_KEY_FALLBACKS) still decrypt, so the secret key can
be rotated without losing the files.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PURPOSE = b"cradle foi reply attachments"


def _fernet_for(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=PURPOSE).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _fernets() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet_for(secret) for secret in secrets if secret])


def encrypt(data: bytes) -> bytes:
    return _fernets().encrypt(data)


def decrypt(token: bytes) -> bytes:
    return _fernets().decrypt(bytes(token))
