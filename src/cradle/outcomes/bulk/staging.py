"""Between the dry run and the confirmation, the checked records wait on the server.

What is kept is the *checked* records (NHS numbers already replaced by their pseudonyms), never
the uploaded file, as JSON in a private directory under the var directory, named by a random
token. A `StagedImport` row keeps the token with the user and team it belongs to, the SHA-256
of the JSON and the state (staged, then imported); the confirmation reads the file back only if
it still has that digest: the browser sends nothing but the token, so nothing it sends is
trusted as data. The row is also what makes the import happen once (bulk/writing.py). Staged
files are deleted on import or on a new upload, and any older than `MAX_AGE_SECONDS` when the
next upload is staged; the rows (no personal data: token, digests, counts) after
`KEEP_ROWS_SECONDS`, so that a late second confirmation is still told it was imported.
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
from django.utils import timezone

from cradle.outcomes.models import StagedImport

from .checks import Checked, MeasureRow, ReferralRow
from .episode_checks import ContactRow, EpisodeRow

MAX_AGE_SECONDS = 60 * 60
KEEP_ROWS_SECONDS = 7 * 24 * 60 * 60
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")
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
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        raise StagingError("not a staging token")
    return staging_dir() / f"{token}.json"


def _encode(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _decode(row: dict) -> dict:
    # Only the few date keys are looked at: the confirm step decodes every staged row.
    for key in _DATES.intersection(row):
        if row[key]:
            row[key] = datetime.date.fromisoformat(row[key])
    return row


def sweep(now: float | None = None) -> None:
    now = time.time() if now is None else now
    StagedImport.objects.filter(created_at__lt=datetime.datetime.fromtimestamp(
        now - KEEP_ROWS_SECONDS, tz=datetime.UTC)).delete()
    folder = staging_dir()
    if not folder.is_dir():
        return
    for path in folder.glob("*.json"):
        try:
            if now - path.stat().st_mtime > MAX_AGE_SECONDS:
                path.unlink()
        except FileNotFoundError:
            pass


def stage(checked: Checked, *, user, team, file_sha256: str) -> str:
    """Keep the checked records for `user` to confirm; return the token."""
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
    StagedImport.objects.create(token=token, team=team, user=user,
                                digest=hashlib.sha256(body).hexdigest(), file_sha256=file_sha256)
    return token


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


def staged_import(token: str, *, user, team) -> StagedImport | None:
    """The user's staged (or already imported) import of the team with this token."""
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        return None
    return StagedImport.objects.filter(token=token, user=user, team=team).first()


def claim(token: str, *, user, team) -> bool:
    """Move the staged import from staged to imported: True for the one caller that does.

    Called first in the importing transaction. A conditional UPDATE is a lock on both
    databases: on PostgreSQL a second UPDATE of the row waits for the first transaction and
    then finds the state changed (so matches nothing); on SQLite the UPDATE takes the write
    lock before anything is read, so the confirmations run one after the other and only the
    first finds the import staged. If the import then fails, its rollback puts the row back
    to staged."""
    return bool(StagedImport.objects.filter(
        token=token, user=user, team=team, state=StagedImport.STAGED,
    ).update(state=StagedImport.IMPORTED, imported_at=timezone.now()))


def record_counts(staged: StagedImport, counts: dict) -> None:
    """What the import wrote, for the confirmations that lost the claim to show."""
    StagedImport.objects.filter(pk=staged.pk).update(counts=counts)


def discard(token: str) -> None:
    try:
        _path(token).unlink(missing_ok=True)
    except StagingError:
        pass
