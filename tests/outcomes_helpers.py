"""What the outcomes page tests share: the pseudonym key, a team (Leeds, from the shipped
register) with a signed-in practitioner, and the NHS.UK date input's form fields.

The fixtures reach the integration tests through tests/integration/conftest.py."""

from __future__ import annotations

import datetime

import pytest

from cradle.directory.models import Service
from tests.accounts_helpers import make_user, sign_in

KEY = "a test pseudonym key that is long enough for HMAC-SHA256"


@pytest.fixture(autouse=True)
def pseudonym_key(monkeypatch):
    monkeypatch.setenv("CRADLE_PSEUDONYM_KEY", KEY)


@pytest.fixture
def team():
    return Service.objects.get(register_ref="T15")


@pytest.fixture
def practitioner(team):
    return make_user("practitioner@example.org", team=team)


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in(client, practitioner)


def date_fields(name: str, day: datetime.date) -> dict:
    """The day, month and year boxes of a date input, as posted."""
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def item_fields(*scores) -> dict:
    """The item radios of the measure form, as posted: item 1 first, None for not answered."""
    return {f"item_{n}": "" if score is None else str(score)
            for n, score in enumerate(scores, start=1)}


phq9_items = item_fields


def ago(days: int) -> datetime.date:
    return datetime.date.today() - datetime.timedelta(days=days)


def confirm_import(client, team, preview_page: str):
    """Confirm the import previewed on the page (its token is in a hidden field)."""
    from django.urls import reverse

    token = preview_page.split('name="token" value="')[1].split('"')[0]
    return client.post(reverse("outcomes:team-import-confirm", args=[team.pk]),
                       {"token": token})


def xlsx_bytes(sheets: dict) -> bytes:
    """A workbook with a sheet per name: {name: [header, *rows]}."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload_import(client, team, name: str, data: bytes, holds: str = ""):
    """Post a file to the team's import page (the dry run)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    return client.post(reverse("outcomes:team-import", args=[team.pk]),
                       {"file": SimpleUploadedFile(name, data), "holds": holds})
