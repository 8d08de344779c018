"""Evidence files at rest: Fernet under a key derived from the secret key for this use alone,
as FOI reply attachments are (foi/reply_files.py, ADR 0029), with a purpose of their own so
neither key can open the other's files.

Kept in the database, never on disk or at a public URL: a refused transaction leaves no orphan,
backups hold them, and the only way out is the review's download view. Earlier secret keys
(SECRET_KEY_FALLBACKS) still decrypt, so the secret key can be rotated.
"""

from __future__ import annotations

from django.conf import settings

from cradle.core import files_at_rest

PURPOSE = b"cradle quality evidence files"


def encrypt(data: bytes) -> bytes:
    return files_at_rest.encrypt(data, purpose=PURPOSE)


def decrypt(token: bytes) -> bytes:
    return files_at_rest.decrypt(token, purpose=PURPOSE)


def max_bytes() -> int:
    return settings.QUALITY_EVIDENCE_MAX_BYTES
