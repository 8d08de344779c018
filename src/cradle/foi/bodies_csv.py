"""Bodies by CSV, and requests out to a mail merge.

Providers CSV columns: ods_code,name,nation,email,area_scheme,area_codes
(`area_codes` are `;`-separated codes or ODS codes of areas in `area_scheme`, e.g.
`ccg2019` and `02N;02P`). A file with any bad row is rejected whole, each bad row named.
"""

import csv
import datetime
import io

from django.db import transaction

from cradle.core.spreadsheets import csv_bytes
from cradle.geography.models import Area
from cradle.geography.schemes import HEALTH_SCHEMES, NATIONS

from .actions import render_letter
from .models import Body, BodyKind, BodyType, FoiRequest

PROVIDER_COLUMNS = ("ods_code", "name", "nation", "email", "area_scheme", "area_codes")
MAIL_MERGE_COLUMNS = ("ods_code", "name", "email", "regime", "subject", "letter")


class BodiesFileError(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def _parse_providers(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if tuple(reader.fieldnames or ()) != PROVIDER_COLUMNS:
        raise BodiesFileError([f"row 1: header must be {','.join(PROVIDER_COLUMNS)}"])
    areas = {}
    for area in Area.objects.filter(scheme__in=HEALTH_SCHEMES):
        areas[(area.scheme, area.code)] = area
        if area.ods_code:
            areas[(area.scheme, area.ods_code)] = area
    rows, errors, seen = [], [], set()
    for row in reader:
        line = reader.line_num
        row = {key: (value or "").strip() for key, value in row.items() if key}
        if not row["ods_code"] or row["ods_code"] in seen:
            errors.append(f"row {line}, column 'ods_code': empty or repeated")
        seen.add(row["ods_code"])
        if not row["name"]:
            errors.append(f"row {line}, column 'name': empty")
        if row["nation"] not in NATIONS:
            errors.append(f"row {line}, column 'nation': {row['nation']!r} is not one of "
                          f"{', '.join(NATIONS)}")
        if row["email"] and "@" not in row["email"]:
            errors.append(f"row {line}, column 'email': {row['email']!r} is not an email address")
        if row["area_scheme"] not in HEALTH_SCHEMES:
            errors.append(f"row {line}, column 'area_scheme': {row['area_scheme']!r} is not one "
                          f"of {', '.join(HEALTH_SCHEMES)}")
            continue
        found = []
        for code in filter(None, (c.strip() for c in row["area_codes"].split(";"))):
            area = areas.get((row["area_scheme"], code))
            if area is None:
                errors.append(f"row {line}, column 'area_codes': no {row['area_scheme']} area "
                              f"{code!r}")
            found.append(area)
        rows.append(row | {"areas": found})
    if errors:
        raise BodiesFileError(errors)
    return rows


@transaction.atomic
def import_providers(text: str) -> dict[str, int]:
    """Create or update providers; their areas are replaced by the file's."""
    counts = {"created": 0, "updated": 0}
    for row in _parse_providers(text):
        # The loaded trust of that code if there is one (today's bodies), else a hand one.
        body = (Body.objects.filter(ods_code=row["ods_code"], kind=BodyKind.PROVIDER,
                                    body_type__in=(BodyType.NHS_TRUST, ""))
                .order_by("-body_type").first())
        created = body is None
        body = body or Body(ods_code=row["ods_code"], kind=BodyKind.PROVIDER)
        body.name, body.nation, body.email = row["name"], row["nation"], row["email"]
        body.save()
        body.areas.set(row["areas"])
        counts["created" if created else "updated"] += 1
    return counts


def mail_merge_csv(requests, *, sent_on: datetime.date) -> bytes:
    """A row per request, its letter written as if sent on `sent_on` (formulas neutralised)."""
    rows = [[request.body.ods_code, request.body.name, request.body.email, request.regime,
             f"Freedom of Information request: {request.campaign.subject_name}",
             render_letter(request, sent_on=sent_on)]
            for request in requests.select_related("body", "campaign")]
    return csv_bytes(MAIL_MERGE_COLUMNS, rows)


__all__ = ["BodiesFileError", "FoiRequest", "import_providers", "mail_merge_csv"]
