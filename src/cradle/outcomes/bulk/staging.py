"""Between the dry run and the confirmation, the checked records wait on the server.

What is kept is the *checked* records (NHS numbers already replaced by their pseudonyms), never
the uploaded file, as JSON in a private directory under the var directory, named by a random
token. The user's session keeps the token with the SHA-256 of the JSON, and the confirmation
reads the file back only if it still has that digest: the browser sends nothing but the token,
so nothing it sends is trusted as data. Staged files are deleted on import or on a new upload,
and any older than `MAX_AGE_SECONDS` when the next upload is staged.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import hmac
import json
import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

from .checks import Checked, MeasureRow, ReferralRow
from .episode_checks import ContactRow, EpisodeRow

MAX_AGE_SECONDS = 60 * 60
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")
_DATES = {"referred_on", "decided_on", "administered_on", "started_on", "ended_on",
          "episode_started_on", "on"}
#: Each list of checked records, and the row type its records are.
_ROWS = {"referrals": ReferralRow, "episodes": EpisodeRow, "contacts": ContactRow,
         "measures": MeasureRow}


class StagingError(Exception):
    """The staged import is gone, expired or altered: upload the file again."""


def staging_dir() -> Path:
    return Path(getattr(settings, "CRADLE_IMPORT_STAGING_DIR",
                        Path(settings.VAR_DIR) / "import-staging"))


def _path(token: str) -> Path:
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        raise StagingError("not a staging token")
    return staging_dir() / f"{token}.json"


def _encode(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _decode(row: dict) -> dict:
    return {key: datetime.date.fromisoformat(value) if key in _DATES and value else value
            for key, value in row.items()}


def sweep(now: float | None = None) -> None:
    now = time.time() if now is None else now
    folder = staging_dir()
    if not folder.is_dir():
        return
    for path in folder.glob("*.json"):
        try:
            if now - path.stat().st_mtime > MAX_AGE_SECONDS:
                path.unlink()
        except FileNotFoundError:
            pass


def stage(checked: Checked) -> tuple[str, str]:
    """Keep the checked records; return (token, SHA-256 of what was kept)."""
    sweep()
    body = json.dumps({
        "rows_read": checked.rows_read,
        **{name: [dataclasses.asdict(row) for row in getattr(checked, name)]
           for name in _ROWS},
    }, default=_encode, separators=(",", ":")).encode("utf-8")
    folder = staging_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    descriptor = os.open(_path(token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(body)
    return token, hashlib.sha256(body).hexdigest()


def load(token: str, digest: str) -> Checked:
    try:
        body = _path(token).read_bytes()
    except FileNotFoundError:
        raise StagingError("the checked file is no longer kept") from None
    if not hmac.compare_digest(hashlib.sha256(body).hexdigest(), str(digest)):
        raise StagingError("the checked file has changed since it was checked")
    data = json.loads(body)
    return Checked(rows_read=data["rows_read"],
                   **{name: [row_type(**_decode(row)) for row in data.get(name, ())]
                      for name, row_type in _ROWS.items()})


def discard(token: str) -> None:
    try:
        _path(token).unlink(missing_ok=True)
    except StagingError:
        pass
