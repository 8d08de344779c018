"""An uploaded file waiting for a background worker to check it (ADR 0020).

A file too large to check in the request must wait for the worker as it was uploaded, NHS
numbers and all, unlike the staged import (staging.py), which keeps only checked, pseudonymised
records. So it is kept encrypted (Fernet, under a key derived from the secret key for this use
alone), in the private staging directory, named by a random token that only the job knows, for
at most `MAX_AGE_SECONDS`; the worker deletes it once the file is checked (or refused).
"""

from __future__ import annotations

import base64
import os
import secrets
import time
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from .staging import TOKEN_PATTERN, StagingError, staging_dir

MAX_AGE_SECONDS = 24 * 60 * 60
SUFFIX = ".upload"


def _fernet() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"cradle outcomes import uploads").derive(settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _path(token: str) -> Path:
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        raise StagingError("not an upload token")
    return staging_dir() / f"{token}{SUFFIX}"


def sweep(now: float | None = None) -> None:
    now = time.time() if now is None else now
    folder = staging_dir()
    if not folder.is_dir():
        return
    for path in folder.glob(f"*{SUFFIX}"):
        try:
            if now - path.stat().st_mtime > MAX_AGE_SECONDS:
                path.unlink()
        except FileNotFoundError:
            pass


def keep(data: bytes) -> str:
    """Keep the uploaded bytes for the worker; return the token."""
    sweep()
    folder = staging_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    descriptor = os.open(_path(token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(_fernet().encrypt(data))
    return token


def read(token: str) -> bytes:
    try:
        body = _path(token).read_bytes()
    except FileNotFoundError:
        raise StagingError("the uploaded file is no longer kept: upload it again") from None
    try:
        return _fernet().decrypt(body)
    except InvalidToken:
        raise StagingError("the uploaded file has changed since it was uploaded") from None


def discard(token: str) -> None:
    try:
        _path(token).unlink(missing_ok=True)
    except StagingError:
        pass
