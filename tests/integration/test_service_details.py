"""The shipped, sourced service details (service-details.csv, loaded by `cradle data load`
after the register updates in tests/conftest.py): each value with its source and date, never
over a coordinator's own."""

import csv
import datetime
import io
import json
import shutil

import pytest
from django.core.management import call_command
from django.urls import reverse

from cradle.audit.models import AuditEntry
from cradle.core.models import ImportLog
from cradle.directory.confirmation import how_to_refer
from cradle.directory.models import Service, SourcedDetail
from cradle.directory.register_import import DATA_DIR, RegisterError, load_register
from cradle.directory.service_details import DATASET, DETAILS_FILE

pytestmark = pytest.mark.django_db

LEEDS_REFER = ("Professionals such as health visitors refer families (Rare Jewels, June 2019). "
               "Whether families can refer themselves is not recorded.")


def shipped_rows() -> list[dict]:
    with (DATA_DIR / DETAILS_FILE).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def rewrite(tmp_path, change):
    """A copy of the shipped data whose details file `change(rows)` has edited."""
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    rows = shipped_rows()
    rows = change(rows) or rows
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]) if rows else ["ref"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (data_dir / DETAILS_FILE).write_text(out.getvalue(), encoding="utf-8")
    return data_dir


def counts():
    return (SourcedDetail.objects.count(), AuditEntry.objects.count(),
            ImportLog.objects.count(),
            list(Service.objects.order_by("pk").values_list(
                "professional_referral", "accepts_from", "accepts_to_months", "languages",
                "website", "referral_checked_on", "ages_checked_on")))


def leeds() -> Service:
    return Service.objects.get(register_ref="T15")


def test_every_row_is_loaded_with_its_source_quote_and_date():
    assert SourcedDetail.objects.count() == len(shipped_rows()) == 45
    service = leeds()
    assert service.professional_referral is True and service.self_referral is None
    assert service.accepts_from == "conception" and service.accepts_to_months is None
    # June 2019 is kept as the first day it means; pages say "June 2019", never a day.
    assert service.referral_checked_on == datetime.date(2019, 6, 1)
    assert service.website.startswith("https://leedscommunityhealthcare.nhs.uk/")
    assert service.website_checked_on is None  # an undated page
    detail = service.sourced_details.get(field="professional_referral")
    assert (detail.source, detail.checked_text) == ("Rare Jewels", "2019-06")
    assert "by their health visitor" in detail.quote
    # Nothing the sources do not state: no phone, no email, no "self-referral: yes".
    assert not SourcedDetail.objects.filter(
        field__in=["contact_phone", "contact_email", "self_referral"]).exists()
    assert not Service.objects.filter(self_referral=True).exists()


def test_how_to_refer_says_where_it_comes_from():
    assert how_to_refer(leeds()) == LEEDS_REFER
    oldham = Service.objects.get(register_ref="D02")
    assert how_to_refer(oldham).startswith(
        "Professionals such as midwives, health visitors, GPs and social workers refer "
        "families (penninecare.nhs.uk, 8 December 2021).")


def test_second_load_changes_nothing_and_records_nothing():
    before = counts()
    changes = load_register()
    assert all(sum(c.values()) == 0 for c in changes.values()), changes
    assert counts() == before


def test_the_load_was_audited():
    entry = AuditEntry.objects.get(model_label="core.importlog",
                                   note__startswith=f"{DATASET} loaded. ")
    assert "sourced_details: 45 created" in entry.note
    services = {row["ref"] for row in shipped_rows()}
    assert AuditEntry.objects.filter(model_label="directory.service", action="load",
                                     note=f"updated from {DATASET}").count() == len(services)
    log = ImportLog.objects.get(dataset=DATASET)
    assert log.reference_date == datetime.date(2025, 3, 31)  # the newest source, March 2025


@pytest.mark.parametrize(("row", "column", "value", "message"), [
    (7, "ref", "T99", "'T99' is not a service reference in the register"),
    (7, "field", "postcode", "'postcode' is not one of professional_referral"),
    (7, "value", "sometimes", "'sometimes' is not yes or no"),
    (1, "value", "two years", "'two years' is not a number of months from 0 to 216"),
    (7, "checked_on", "last spring", "'last spring' is not a date"),
    (7, "source", "", "source is empty"),
    (7, "quote", "", "quote is empty"),
    (7, "source_url", "leeds.example.org", "'leeds.example.org' is not a web address"),
])
def test_a_bad_row_names_file_row_and_column_and_loads_nothing(tmp_path, row, column, value,
                                                               message):
    def spoil(rows):
        assert (rows[7]["ref"], rows[7]["field"]) == ("T15", "professional_referral")
        rows[row][column] = value

    data_dir = rewrite(tmp_path, spoil)
    before = counts()
    with pytest.raises(RegisterError) as error:
        load_register(data_dir=data_dir)
    assert str(error.value).startswith(
        f"{DETAILS_FILE}, row {row + 2}, column '{column}': {message}")
    assert counts() == before


def test_a_repeated_field_and_an_unsupported_referrer_are_refused(tmp_path):
    data_dir = rewrite(tmp_path, lambda rows: [*rows, rows[0]])
    with pytest.raises(RegisterError, match=r"row 47, column 'field': same service and field "
                                            r"as row 2"):
        load_register(data_dir=data_dir)
    data_dir = rewrite(tmp_path / "again", lambda rows: [
        r for r in rows if (r["ref"], r["field"]) != ("T15", "professional_referral")])
    with pytest.raises(RegisterError, match=r"column 'field': referred_by needs a "
                                            r"professional_referral 'yes' row for T15"):
        load_register(data_dir=data_dir)


def test_a_value_a_coordinator_entered_is_never_overwritten(tmp_path):
    service = leeds()
    service.accepts_from, service.accepts_to_months = "birth", 48
    service.ages_checked_on = datetime.date(2026, 11, 2)
    service.professional_referral, service.self_referral = True, True
    service.save()
    # The file changes the Leeds ages too: still not over the coordinator's value.
    data_dir = rewrite(tmp_path, lambda rows: [
        r | {"checked_on": "2019-07"} if r["ref"] == "T15" else r for r in rows])
    load_register(data_dir=data_dir)
    service.refresh_from_db()
    assert (service.accepts_from, service.accepts_to_months) == ("birth", 48)
    assert service.ages_checked_on == datetime.date(2026, 11, 2)
    # The professional referral is still the sourced value: its date follows the file.
    assert service.referral_checked_on == datetime.date(2019, 7, 1)
    assert how_to_refer(service).startswith(
        "Professionals such as health visitors refer families (Rare Jewels, July 2019). "
        "Families can refer themselves.")
    # A coordinator who says otherwise is not given the report's words or source.
    service.professional_referral = False
    service.save()
    load_register()
    service.refresh_from_db()
    assert service.professional_referral is False
    assert "Rare Jewels" not in how_to_refer(service)


def test_a_changed_or_dropped_detail_follows_the_file_where_it_is_still_ours(tmp_path):
    bradford = Service.objects.get(register_ref="T16")
    assert bradford.languages == "Works with trained interpreters"

    def edit(rows):
        for row in rows:
            if (row["ref"], row["field"]) == ("T01", "accepts_to_months"):
                row["value"] = "30"
        return [r for r in rows if (r["ref"], r["field"]) != ("T16", "languages")]

    changes = load_register(data_dir=rewrite(tmp_path, edit))
    assert changes["sourced_details"] == {"created": 0, "updated": 1, "deleted": 1}
    assert Service.objects.get(register_ref="T01").accepts_to_months == 30
    bradford.refresh_from_db()
    assert bradford.languages == "" and bradford.languages_checked_on is None
    assert not bradford.sourced_details.filter(field="languages").exists()


def test_services_near_ls1_4ap_gives_leeds_and_how_to_refer(capsys):
    call_command("services", "near", "LS1 4AP", "--json")
    data = json.loads(capsys.readouterr().out)
    (service,) = data["services"]
    assert service["ref"] == "T15"
    assert service["how_to_refer"] == LEEDS_REFER != "Not recorded"


def test_the_leeds_page_shows_how_to_refer_with_its_source_and_date(client):
    response = client.get(reverse("directory:service-detail", args=[leeds().pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert LEEDS_REFER in html
    assert "From conception; upper age not recorded" in html
    assert "(from Rare Jewels, June 2019)" in html
    assert "(from leedscommunityhealthcare.nhs.uk, undated page)" in html
    details = html[html.index("data-details"):]
    details = details[:details.index("</dl>")]
    assert "1 June 2019" not in details  # no more precise than the source


def test_search_results_show_the_sourced_details(client):
    html = client.get(reverse("directory:service-search"), {"q": "Lambeth"}).content.decode()
    assert "Ages: From conception, up to 48 months" in html
    assert "(from leaplambeth.org.uk, undated page)" in html
