"""Evidence files at rest: Fernet under a key derived from the secret key for this use alone,
as FOI reply attachments are (foi/reply_files.py, ADR 0029), with a purpose of their own so
neither key can open the other's files.

Kept in the database, never on disk or at a public URL: a refused transaction leaves no orphan,
backups hold them, and the only way out is the review's download view. Earlier secret keys
(SECRET_KEY_FALLBACKS) still decrypt, so the secret key can be rotated.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PURPOSE = b"cradle quality evidence files"


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


def max_bytes() -> int:
    return settings.QUALITY_EVIDENCE_MAX_BYTES
