"""Reply attachments at rest: Fernet under a key derived from the secret key for this use alone.

Kept in the database rather than on disk, so the mail receiver and the web servers need share
nothing but the database, a refused transaction leaves no orphaned file, and backups hold them
(ADR 0029). The earlier secret keys (SECRET_KEY_FALLBACKS) still decrypt, so the secret key can
be rotated without losing the files.
"""

from __future__ import annotations

from cradle.core import files_at_rest

PURPOSE = b"cradle foi reply attachments"


def encrypt(data: bytes) -> bytes:
    return files_at_rest.encrypt(data, purpose=PURPOSE)


def decrypt(token: bytes) -> bytes:
    return files_at_rest.decrypt(token, purpose=PURPOSE)
