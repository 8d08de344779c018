"""Today's FOI bodies through the command and the web: load twice, a bad row refused, CAMHS
providers recorded and asked, FOI addresses edited, WhatDoTheyKnow routes shown."""

import datetime
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cradle.audit.models import AuditEntry
from cradle.foi import actions
from cradle.foi.models import Body, BodyType, CamhsProvision, FoiRequest
from cradle.foi.questions import DEFAULT_LETTER
from tests.accounts_helpers import make_user, sign_in

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "foi_bodies"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture
def loaded():
    call_command("foi", "load-bodies", "--source", str(FIXTURES), verbosity=0)


@pytest.fixture
def coordinator(client):
    return sign_in(client, make_user("coordinator@example.org", network_role="coordinator"))


def _campaign():
    return actions.create_campaign(name="Trusts 2026", question_set="camhs-2019",
                                   letter_template=DEFAULT_LETTER, signatory="Cradle",
                                   reply_to="foi@example.org")


def test_load_twice_changes_nothing_the_second_time(capsys):
    call_command("foi", "load-bodies", "--source", str(FIXTURES))
    assert "13 created" in capsys.readouterr().out
    entries = AuditEntry.objects.count()
    snapshot = list(Body.objects.todays().order_by("pk").values())
    call_command("foi", "load-bodies", "--source", str(FIXTURES))
    assert "already up to date (13); nothing changed" in capsys.readouterr().out
    assert AuditEntry.objects.count() == entries
    assert list(Body.objects.todays().order_by("pk").values()) == snapshot
    qyg = Body.objects.get(body_type=BodyType.ICB, ods_code="QYG")
    assert sorted(qyg.areas.values_list("scheme", flat=True)) == ["icb2024", "icb2026"]
    trust = Body.objects.get(body_type=BodyType.NHS_TRUST, ods_code="RV5")
    assert list(trust.areas.values_list("scheme", "code")) == [("icb2026", "QKK")]
    assert trust.name == "South London and Maudsley NHS Foundation Trust"
    assert Body.objects.get(ods_code="BHSCT").code_system == "doh_ni"


def test_the_2019_ccgs_live_beside_sub_icb_locations_of_the_same_code(loaded):
    assert actions.add_commissioners() == 191
    assert Body.objects.filter(ods_code="00L").count() == 2
    assert Body.objects.of_type(BodyType.CCG).count() == 191
    assert actions.add_commissioners() == 0


def test_a_bad_row_is_refused_naming_row_and_field_and_nothing_is_written(tmp_path):
    for source in FIXTURES.iterdir():
        shutil.copy(source, tmp_path / source.name)
    trusts = tmp_path / "nhs_trusts_open_ods_2026-07.csv"
    trusts.write_text(trusts.read_text().replace(",England\n", ",Englnd\n", 1))
    with pytest.raises(CommandError) as refused:
        call_command("foi", "load-bodies", "--source", str(tmp_path))
    assert ("nhs_trusts_open_ods_2026-07.csv, row 2, field 'nation': 'Englnd' is not one of"
            in str(refused.value))
    assert not Body.objects.todays().exists()


def test_a_coordinator_records_a_camhs_provider_and_a_campaign_asks_it(loaded, coordinator):
    trust = Body.objects.get(body_type=BodyType.NHS_TRUST, ods_code="RV5")
    response = coordinator.post(reverse("foi:body-camhs", args=[trust.pk]), {
        "camhs-provides_camhs": "yes", "camhs-source_text": "Trust website, CAMHS page",
        "camhs-source_url": "https://slam.nhs.uk/camhs", "camhs-stated_on_0": "3",
        "camhs-stated_on_1": "11", "camhs-stated_on_2": "2026"})
    assert response.status_code == 302, response.content.decode()
    record = CamhsProvision.objects.get(body=trust)
    assert (record.provides_camhs, record.recorded_by) == (True, "coordinator@example.org")
    assert AuditEntry.objects.filter(model_label=record._meta.label_lower,
                                     object_id=str(record.pk)).exists()
    # A later record saying no is history, and the newest wins.
    other = Body.objects.get(body_type=BodyType.NHS_TRUST, ods_code="RBS")
    for says in (True, False):
        from cradle.foi.actions_bodies import record_camhs_provision
        record_camhs_provision(body=other, provides_camhs=says, source_text="Annual report",
                               source_url="", stated_on=datetime.date(2026, 1, 1), by="test")
    assert list(Body.objects.recorded_camhs_providers()) == [trust]
    page = coordinator.get(reverse("foi:body-detail", args=[other.pk])).content.decode()
    assert 'data-camhs="no"' in page and page.count("Annual report") == 2

    campaign = _campaign()
    response = coordinator.post(reverse("foi:add-todays-bodies", args=[campaign.pk]),
                                {"todays-camhs_providers": "on"})
    assert response.status_code == 302, response.content.decode()
    assert list(FoiRequest.objects.for_campaign(campaign).values_list(
        "body__ods_code", flat=True)) == ["RV5"]
    # By type: every ICB in force today (the abolished one is not).
    coordinator.post(reverse("foi:add-todays-bodies", args=[campaign.pk]),
                     {"todays-body_types": ["icb"]})
    asked = set(FoiRequest.objects.for_campaign(campaign).values_list("body__ods_code",
                                                                      flat=True))
    assert asked == {"RV5", "QYG", "QKK", "Z9B2Z"}
    empty = coordinator.post(reverse("foi:add-todays-bodies", args=[campaign.pk]), {})
    assert empty.status_code == 400
    assert "Choose CAMHS providers, body types or bodies to ask" in empty.content.decode()


def test_others_are_denied(loaded, client):
    trust = Body.objects.get(body_type=BodyType.NHS_TRUST, ods_code="RV5")
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    for name in ("foi:body-detail", "foi:body-camhs", "foi:body-foi-address"):
        method = client.get if name == "foi:body-detail" else client.post
        assert method(reverse(name, args=[trust.pk])).status_code == 403, name
    assert client.get(reverse("foi:body-list")).status_code == 403
    assert not CamhsProvision.objects.exists()


def test_foi_address_is_validated_and_audited(loaded, coordinator):
    body = Body.objects.get(body_type=BodyType.ICB, ods_code="QYG")
    url = reverse("foi:body-foi-address", args=[body.pk])
    bad = coordinator.post(url, {"address-email": "not an address", "address-source": "x",
                                 "address-checked_on_0": "1", "address-checked_on_1": "11",
                                 "address-checked_on_2": "2026"})
    assert bad.status_code == 400
    assert "Enter the FOI address in the correct format" in bad.content.decode()
    no_source = coordinator.post(url, {"address-email": "foi@cheshire.example.nhs.uk"})
    assert no_source.status_code == 400
    assert "Say where the FOI address comes from" in no_source.content.decode()
    body.refresh_from_db()
    assert body.email == ""
    entries = AuditEntry.objects.count()
    good = coordinator.post(url, {
        "address-email": "foi@cheshire.example.nhs.uk",
        "address-source": "https://www.cheshireandmerseyside.nhs.uk/foi",
        "address-checked_on_0": "1", "address-checked_on_1": "11",
        "address-checked_on_2": "2026"})
    assert good.status_code == 302
    body.refresh_from_db()
    assert (body.email, body.email_checked_on) == ("foi@cheshire.example.nhs.uk",
                                                   datetime.date(2026, 11, 1))
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert AuditEntry.objects.count() == entries + 1
    assert set(entry.fields) == {"email", "email_source", "email_checked_on"}
    page = coordinator.get(reverse("foi:body-detail", args=[body.pk])).content.decode()
    assert "foi@cheshire.example.nhs.uk" in page and "1 November 2026" in page


def test_whatdotheyknow_route_is_offered_and_sending_says_so(loaded, coordinator):
    trust = Body.objects.get(body_type=BodyType.NHS_TRUST, ods_code="RBS")
    page = coordinator.get(reverse("foi:body-detail", args=[trust.pk])).content.decode()
    assert ("https://www.whatdotheyknow.com/new/alder_hey_childrens_nhs_foundation_trust"
            in page)
    assert "CC BY-SA 4.0" in page
    campaign = _campaign()
    (request,) = actions.add_recipients(campaign=campaign, bodies=[trust], by="test",
                                        on=datetime.date(2026, 11, 2))
    refused = coordinator.post(reverse("foi:send-email", args=[campaign.pk]),
                               {"requests": [request.pk]})
    assert refused.status_code == 400
    assert "request it through WhatDoTheyKnow" in refused.content.decode()
    detail = coordinator.get(reverse("foi:request-detail", args=[request.pk])).content.decode()
    assert 'id="wdtk-route"' in detail


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs the source files in ../shared/data")
def test_the_real_sources_load_every_body():
    call_command("foi", "load-bodies", "--source", str(SHARED), verbosity=0)
    counts = {kind: Body.objects.of_type(kind).count() for kind in BodyType.values}
    assert counts == {"ccg": 0, "icb": 48, "sub_icb_location": 106, "nhs_trust": 202,
                      "local_health_board": 7, "health_board": 14, "hsc_trust": 5}
    on = datetime.date(2026, 7, 1)
    assert Body.objects.of_type("icb").in_force_on(on).count() == 36
    assert Body.objects.of_type("icb").in_force_on(datetime.date(2025, 7, 1)).count() == 42
