"""'Last confirmed' and the strength of the evidence, on service pages and in search results."""

import datetime
import re

import pytest
from django.urls import reverse

from cradle.directory.models import RegisterClaim, Service

pytestmark = pytest.mark.django_db
SEARCH = reverse("directory:service-search")


def page(client, service: Service) -> str:
    response = client.get(reverse("directory:service-detail", args=[service.pk]))
    assert response.status_code == 200
    return response.content.decode()


def result_row(client, q: str, ref: str) -> str:
    html = client.get(SEARCH, {"q": q}).content.decode()
    return re.search(rf'data-service="{ref}"[^>]*>(.*?)</tr>', html, re.S).group(1)


def test_a_2019_only_team_is_operating_not_confirmed_since_june_2019(client):
    enfield = Service.objects.get(register_ref="T11")
    html = page(client, enfield)
    assert "Operating, not confirmed since June 2019" in html
    assert 'data-confirmed-today="no"' in html
    assert re.search(r'data-last-confirmed="2019-06-01">June 2019, by <a href="https://'
                     r'parentinfantfoundation.org.uk/[^"]+">Rare Jewels', html)
    assert 'data-strength="yes_per_2019"><strong>Yes (per 2019 report).</strong>' in html
    row = result_row(client, "Enfield", "T11")
    assert "Operating, not confirmed since June 2019" in row
    assert "June 2019, by Rare Jewels" in row
    assert "Evidence it is a team: yes (per 2019 report)" in row


def test_an_undated_source_confirms_no_date(client):
    caps = Service.objects.get(register_ref="T08")
    html = page(client, caps)
    assert "not confirmed on any date (the newest source is an undated page)" in html
    assert "Undated page, by" in html
    # Both sources are listed, newest first: the update's undated pages, then Rare Jewels.
    strengths = re.findall(r'data-source-strength="(\w+)"', html)
    assert strengths == ["yes_per_2019", "yes_per_2019"]
    assert "hub.gmintegratedcare.org.uk" in html or "homestartmanchester.com" in html


def test_recent_sourced_evidence_confirms_operating(client):
    """A source dated last month confirms the team today; its strength is shown in words."""
    knowsley = Service.objects.get(register_ref="T06")
    month_ago = datetime.date.today() - datetime.timedelta(days=30)
    RegisterClaim.objects.filter(service=knowsley).update(
        evidence_date_text=month_ago.isoformat(), evidence_precision="day",
        evidence_from=month_ago, evidence_to=month_ago)
    html = page(client, knowsley)
    assert 'data-confirmed-today="yes"' in html
    assert re.search(r'data-status-today="operating"[^>]*>Operating <span', html)
    assert f"{month_ago.day} {month_ago:%B %Y}, by" in html
    assert "merseycare.nhs.uk" in html
    assert "<strong>Yes.</strong> Meets the definition" in html
    row = result_row(client, "Knowsley", "T06")
    assert re.search(r"data-status-words>.*?</span>Operating</td>", row, re.S)
    assert "Evidence it is a team: yes" in row


def test_a_closed_service_says_closed_with_its_source(client):
    norpip = Service.objects.get(register_ref="T19")
    html = page(client, norpip)
    assert 'data-status-today="closed"' in html
    assert "June 2021, by <a" in html and "(says: closed)" in html
    assert "Not applicable (closed)" in html


def test_a_new_service_shows_its_sources_claim_and_how_to_refer(client):
    kent = Service.objects.get(claims__name_given="Kent Parent Infant Mental Health Service")
    html = page(client, kent)
    assert "21 March 2025, by <a" in html and "democracy.kent.gov.uk" in html
    assert "(says: planned)" in html
    assert "Run by" in html and "commissioned by Kent County Council Public Health" in html
    assert 'data-how-to-refer>Not recorded' in html
    row = result_row(client, "Kent", kent.register_ref)
    assert "Planned" in row and "Not recorded" in row


def test_search_results_show_the_details_recorded_with_the_date_each_was_checked(client):
    leeds = Service.objects.get(register_ref="T15")
    checked = datetime.date(2026, 11, 2)
    leeds.professional_referral, leeds.self_referral = True, True
    leeds.referral_checked_on = checked
    leeds.accepts_from, leeds.accepts_to_months, leeds.ages_checked_on = "conception", 24, checked
    leeds.languages, leeds.languages_checked_on = "English\nUrdu", checked
    leeds.contact_phone, leeds.contact_phone_checked_on = "0113 000 0000", checked
    leeds.website = "https://leeds.example.org/imhs"
    leeds.save()
    row = result_row(client, "Leeds", "T15")
    assert "Families can refer themselves, or a professional" in row
    assert row.count("(checked 2 Nov 2026)") == 4  # referral, ages, languages, phone
    assert "Ages: From conception, up to 24 months" in row
    assert "Languages: English<br>Urdu" in row
    assert 'href="tel:01130000000"' in row
    assert 'href="https://leeds.example.org/imhs"' in row  # website: checked date not recorded
    # Nothing recorded: said so, not left blank.
    assert "Not recorded" in result_row(client, "Enfield", "T11")


def test_area_pages_say_when_each_service_was_last_confirmed(client):
    html = client.get(reverse("geography:area-detail", args=["la", "E09000010"])).content.decode()
    row = re.search(r'data-service="T11"[^>]*>(.*?)</tr>', html, re.S).group(1)
    assert "Operating, not confirmed since June 2019" in row
    assert "Last confirmed: June 2019, by Rare Jewels" in row
