"""Figures on today's areas through the web (ADR 0034): a trust's served areas recorded and
audited on its page, the questions report's section per ICB and its distribution per trust,
the CSV, and the function the public area page will call."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse

from cradle.audit.models import AuditEntry
from cradle.foi import actions, actions_bodies, area_queries
from cradle.foi.models import Body, BodyKind, BodyType, FoiRequest, StructuredAnswer
from cradle.foi.questions import DEFAULT_LETTER
from cradle.geography.models import Area
from tests.accounts_helpers import make_user, sign_in
from tests.foi_helpers import check_all

pytestmark = pytest.mark.django_db

QUESTIONS = {"version": 1, "questions": [
    {"id": "accepts", "kind": "yes_no", "text": "Do you accept babies?"},
    {"id": "seen", "kind": "age_band_count", "text": "How many children were seen?",
     "bands": [{"from_months": 0, "to_months": 12}, {"from_months": 12, "to_months": 24},
               {"from_months": 24, "to_months": 36}]},
    {"id": "wide", "kind": "age_band_count", "text": "How many were referred?",
     "bands": [{"from_months": 0, "to_months": 24}, {"from_months": 24, "to_months": 36}]},
]}


@pytest.fixture
def staff(client):
    return sign_in(client, make_user("coordinator@example.org", network_role="coordinator"))


def area(scheme, ods_code) -> Area:
    return Area.objects.get(scheme=scheme, ods_code=ods_code)


def make_body(code, name, body_type, kind, *areas) -> Body:
    body = Body.objects.create(kind=kind, body_type=body_type, ods_code=code, name=name,
                               nation="England", email=f"foi@{code.lower()}.example.org")
    body.areas.set(areas)
    return body


@pytest.fixture
def world():
    """West Yorkshire (QWO) with two of its sub-ICB locations, two trusts (one serving the
    ICB, one recorded as serving both sub-ICB locations), the ICB itself, and a hand-imported
    trust with no areas; a campaign asking all of them."""
    icb = area("icb2026", "QWO")
    subs = list(Area.objects.filter(scheme="subicb2024", parent__ods_code="QWO")
                .order_by("name")[:2])
    bodies = {
        "icb": make_body("QWO", "NHS West Yorkshire ICB", BodyType.ICB,
                         BodyKind.COMMISSIONER, icb, area("icb2024", "QWO")),
        "wide": make_body("RXG", "South West Yorkshire Partnership NHS FT", BodyType.NHS_TRUST,
                          BodyKind.PROVIDER, icb),
        "local": make_body("TAD", "Bradford District Care NHS FT", BodyType.NHS_TRUST,
                           BodyKind.PROVIDER, icb),
        "loose": make_body("ZZZ", "A trust imported by hand", "", BodyKind.PROVIDER),
        "quiet": make_body("RGD", "Leeds and York Partnership NHS FT", BodyType.NHS_TRUST,
                           BodyKind.PROVIDER, icb),
    }
    actions_bodies.record_trust_areas(body=bodies["local"], areas=subs,
                                      source_text="The trust's FOI reply", by="test")
    campaign = actions.create_campaign(
        name="Babies 2026", question_set="", letter_template=DEFAULT_LETTER,
        signatory="Cradle", reply_to="foi@example.org", question_data=QUESTIONS,
        period_label="2025/26", period_starts_on=datetime.date(2025, 4, 1),
        period_ends_on=datetime.date(2026, 3, 31))
    actions.add_recipients(campaign=campaign, bodies=list(bodies.values()), by="test",
                           on=datetime.date(2026, 11, 2))
    answers = {
        "icb": {"seen_0_12m": 20, "seen_12_24m": 5, "seen_24_36m": 5},
        "wide": {"seen_0_12m": 3, "seen_12_24m": 2, "seen_24_36m": "not_known"},
        "local": {"seen_0_12m": 12, "seen_12_24m": 0, "seen_24_36m": 1},
        "loose": {"seen_0_12m": 0, "seen_12_24m": 0, "seen_24_36m": 0},
    }
    for key, values in answers.items():
        request = FoiRequest.objects.get(campaign=campaign, body=bodies[key])
        StructuredAnswer.objects.create(
            campaign=campaign, request=request, received_on=datetime.date(2026, 11, 20),
            answers={name: {"status": v} if isinstance(v, str)
                     else {"status": "answered", "value": v} for name, v in values.items()},
            entered_by="entered@example.org")
    check_all(campaign)
    return {"campaign": campaign, "icb_area": icb, "subs": subs, **bodies}


def test_a_coordinator_records_a_trusts_served_areas_audited_and_shown(staff):
    trust = make_body("RV5", "South London and Maudsley", BodyType.NHS_TRUST,
                      BodyKind.PROVIDER, area("icb2026", "QKK"))
    page = staff.get(reverse("foi:body-detail", args=[trust.pk])).content.decode()
    assert 'data-areas-are="default"' in page and "The default: the trust's parent ICB" in page
    subs = list(Area.objects.filter(scheme="subicb2024", parent__ods_code="QKK")[:2])
    entries = AuditEntry.objects.count()
    response = staff.post(reverse("foi:body-areas", args=[trust.pk]), {
        "areas-areas": [a.pk for a in subs], "areas-source_text": "Trust annual report 2025"})
    assert response.status_code == 302, response.content.decode()
    trust.refresh_from_db()
    assert set(trust.areas.all()) == set(subs)
    record = trust.areas_record
    assert (record.recorded_by, record.source_text) == ("coordinator@example.org",
                                                         "Trust annual report 2025")
    assert set(record.areas.all()) == set(subs)
    new = AuditEntry.objects.order_by("sequence")[entries:]
    assert {(e.model_label, e.object_id, e.action) for e in new} == {
        ("foi.trustareasrecord", str(record.pk), "create"),
        ("foi.body", str(trust.pk), "change")}
    page = staff.get(reverse("foi:body-detail", args=[trust.pk])).content.decode()
    assert 'data-areas-are="recorded"' in page and "Trust annual report 2025" in page


@pytest.mark.parametrize(("post", "message"), [
    ({"areas-source_text": "Annual report"}, "Choose at least one ICB or sub-ICB location"),
    ({"areas-areas": ["999999999999999999999"], "areas-source_text": "x"},
     "Choose areas from the list"),
    ({"areas-areas": ["ccg"], "areas-source_text": "x"}, "Choose areas from the list"),
    ({"areas-areas": ["__2019__"], "areas-source_text": ""}, "Say who said so, and where"),
])
def test_bad_served_areas_are_refused_and_nothing_is_written(staff, post, message):
    trust = make_body("RV5", "South London and Maudsley", BodyType.NHS_TRUST,
                      BodyKind.PROVIDER, area("icb2026", "QKK"))
    if post.get("areas-areas") == ["__2019__"]:
        post["areas-areas"] = [area("icb2026", "QKK").pk]
    response = staff.post(reverse("foi:body-areas", args=[trust.pk]), post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not trust.area_records.exists()


def test_an_area_of_another_scheme_and_a_commissioner_are_refused_by_the_action():
    trust = make_body("RV5", "South London and Maudsley", BodyType.NHS_TRUST,
                      BodyKind.PROVIDER)
    with pytest.raises(actions.FoiActionError, match="today's ICBs and sub-ICB locations"):
        actions_bodies.record_trust_areas(body=trust, areas=[area("ccg2019", "02N")],
                                          source_text="x", by="test")
    icb = make_body("QKK", "NHS South East London ICB", BodyType.ICB, BodyKind.COMMISSIONER)
    with pytest.raises(actions.FoiActionError, match="Only a trust"):
        actions_bodies.record_trust_areas(body=icb, areas=[area("icb2026", "QKK")],
                                          source_text="x", by="test")
    assert not AuditEntry.objects.filter(model_label="foi.trustareasrecord").exists()


def test_the_report_gives_each_icb_with_its_sub_icb_locations(staff, world):
    report = staff.get(reverse("foi:report", args=[world["campaign"].pk]))
    assert report.status_code == 200
    page = report.content.decode()
    assert 'data-icb="QWO"' in page
    # The ICB counts both trusts once each: 3 + 12 under 1; under 3 only the local trust
    # gave every band (the other's 24-36 months is not known, never 0).
    assert 'data-trusts-under1="15 (from 2 of 3; 1 no answer recorded)"' in page
    assert ('data-trusts-under3="13 (from 1 of 3; 1 not known, 1 no answer recorded)"'
            in page)
    assert 'data-commissioners-under1="20 (from 1 of 1)"' in page
    first, second = world["subs"]
    # Each sub-ICB location: the local trust whole (12), the ICB-wide trusts through the ICB.
    for sub in (first, second):
        assert f'data-area="{sub.ods_code}"' in page
    assert page.count('data-trusts-under1="15 (from 2 of 3; 1 no answer recorded)"') == 3
    assert 'data-saw-under3="yes"' in page
    # The hand-imported trust speaks for no area: said so, never put in one.
    assert 'data-unmapped="1"' in page and "A trust imported by hand (ZZZ)" in page
    # Distribution over the 4 trusts asked: 3 gave an under-1 number (0, 3, 12).
    assert 'data-distribution="under1"' in page
    assert ("over the 3 of 4 trusts asked that gave a number" in page)
    under1 = page.split('data-distribution="under1"')[1].split("</table>")[0]
    assert ['data-count="1"' in under1.split(f'data-bucket="{key}"')[1].split("</tr>")[0]
            for key in ("none", "1_9", "10_49")] == [True, True, True]
    assert "Not counted: 1 no answer recorded." in page
    assert "2025/26 (2025-04-01 to 2026-03-31): one year." in page


def test_a_question_whose_bands_do_not_tile_says_the_figure_cannot_be_computed(staff, world):
    url = reverse("foi:report", args=[world["campaign"].pk]) + "?count_question=wide"
    page = staff.get(url).content.decode()
    assert 'data-cannot-compute="under1"' in page
    assert 'data-cannot-compute="under3"' not in page
    assert 'data-trusts-under1="cannot be computed from this question' in page


def test_the_csv_of_todays_areas(staff, world):
    response = staff.get(reverse("foi:report-todays-areas-csv", args=[world["campaign"].pk]))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    west = next(row for row in rows if row["area_code"] == "QWO")
    assert (west["trusts_under1_total"], west["trusts_under1_gave_number"],
            west["trusts_under1_bodies"]) == ("15", "2", "3")
    assert west["trusts_under3_not_given"] == "1 not known, 1 no answer recorded"
    subs = [row for row in rows if row["in_icbs"] == "QWO"]
    assert len(subs) == Area.objects.filter(scheme="subicb2024", parent__ods_code="QWO").count()
    assert "its count is for its whole footprint of 2 areas" in next(
        row for row in subs if row["area_code"] == world["subs"][0].ods_code)["trusts"]
    assert {row["area_type"] for row in rows} == {"icb", "sub_icb_location"}
    assert len([row for row in rows if row["area_type"] == "icb"]) == 36


def test_a_2019_campaign_has_no_figures_on_todays_areas(staff):
    campaign = actions.create_campaign(name="2019", question_set="camhs-2019",
                                       letter_template=DEFAULT_LETTER, signatory="Cradle",
                                       reply_to="foi@example.org")
    url = reverse("foi:report-todays-areas-csv", args=[campaign.pk])
    assert staff.get(url).status_code == 404
    assert area_queries.campaign_area_figures(campaign) is None


def test_split_icbs_sub_icb_locations_follow_their_councils():
    icbs = {a.key: a.code for a in area_queries.todays_areas() if a.is_icb}
    placed = {a.code: sorted(icbs[key] for key in a.icbs)
              for a in area_queries.todays_areas() if not a.is_icb}
    assert len(placed) == 106 and all(placed.values())
    assert placed["06T"] == ["D7T5G"] and placed["07H"] == ["D7T5G"]
    assert placed["06K"] == ["S1Y5D"] and placed["07K"] == ["T6Y0W"]
    assert placed["D4U1Y"] == ["S0E4D", "S9B9J"]  # Frimley: split by the 2026 ICBs


def test_the_public_area_page_function_gives_the_latest_campaigns_figures(world):
    first = world["subs"][0]
    found = area_queries.todays_area_figures(first)
    assert found.campaign == world["campaign"]
    assert found.figures.area.code == first.ods_code
    assert found.figures.trusts_under1.total == 15
    assert area_queries.todays_area_figures(world["icb_area"]).figures.bodies == 4
    assert area_queries.todays_area_figures(area("ccg2019", "02N")) is None


def test_answers_come_only_through_answers_for_analysis(world, monkeypatch):
    monkeypatch.setattr(area_queries, "answers_for_analysis", lambda campaign: [])
    figures = area_queries.campaign_area_figures(world["campaign"])
    assert all(line.body.answers is None for icb in figures.icbs for line in icb.every_line)
    assert area_queries.todays_area_figures(world["icb_area"]) is None


def test_others_are_denied(client, world):
    sign_in(client, make_user("analyst@example.org", network_role="analyst"))
    assert client.post(reverse("foi:body-areas", args=[world["wide"].pk])).status_code == 403
    assert client.get(reverse("foi:report-todays-areas-csv",
                              args=[world["campaign"].pk])).status_code == 403


def test_a_second_load_leaves_recorded_areas_alone():
    from pathlib import Path

    from django.core.management import call_command

    fixtures = Path(__file__).resolve().parent.parent / "data" / "foi_bodies"
    call_command("foi", "load-bodies", "--source", str(fixtures), verbosity=0)
    trust = Body.objects.get(body_type=BodyType.NHS_TRUST, ods_code="RV5")
    assert not trust.area_records.exists()  # the load's default: its ICB
    subs = list(Area.objects.filter(scheme="subicb2024", parent__ods_code="QKK")[:1])
    actions_bodies.record_trust_areas(body=trust, areas=subs, source_text="FOI reply",
                                      by="test")
    entries = AuditEntry.objects.count()
    call_command("foi", "load-bodies", "--source", str(fixtures), verbosity=0)
    assert list(trust.areas.all()) == subs
    assert AuditEntry.objects.count() == entries


def test_an_answer_nobody_has_checked_is_in_no_figure(world):
    campaign = world["campaign"]
    checked = {answer.pk for answer in area_queries.answers_for_analysis(campaign)}
    request = FoiRequest.objects.get(campaign=campaign, body=world["icb"])
    later = StructuredAnswer.objects.create(
        campaign=campaign, request=request, received_on=datetime.date(2026, 11, 25),
        answers={"seen_0_12m": {"status": "answered", "value": 999}},
        entered_by="entered@example.org")
    assert {a.pk for a in area_queries.answers_for_analysis(campaign)} == checked
    check_all(campaign)
    latest = {a.request_id: a.pk for a in area_queries.answers_for_analysis(campaign)}
    assert latest[request.pk] == later.pk


def _later_campaign_entered_not_checked(body):
    """A later campaign asking `body`, with one answer entered and not yet checked."""
    later = actions.create_campaign(
        name="Babies 2027", question_set="", letter_template=DEFAULT_LETTER,
        signatory="Cradle", reply_to="foi@example.org", question_data=QUESTIONS)
    actions.add_recipients(campaign=later, bodies=[body], by="test",
                           on=datetime.date(2026, 11, 2))
    StructuredAnswer.objects.create(
        campaign=later, request=later.requests.get(), received_on=datetime.date(2026, 11, 20),
        answers={"seen_0_12m": {"status": "answered", "value": 77}},
        entered_by="entered@example.org")
    return later


def test_the_public_area_page_shows_checked_answers_only(client, world):
    icb = world["icb_area"]
    url = reverse("planning:area-profile", args=[icb.scheme, icb.code])
    page = client.get(url).content.decode()
    assert f'data-todays-foi="{world["campaign"].pk}"' in page
    assert "Babies 2026" in page
    # A later campaign whose answers nobody has checked yet is not shown.
    later = _later_campaign_entered_not_checked(world["icb"])
    page = client.get(url).content.decode()
    assert "Babies 2027" not in page and f'data-todays-foi="{world["campaign"].pk}"' in page
    check_all(later)
    page = client.get(url).content.decode()
    assert f'data-todays-foi="{later.pk}"' in page


def test_the_api_gives_a_campaigns_checked_figures_on_todays_areas(client, world):
    campaign = world["campaign"]
    listed = client.get("/api/v1/foi/campaigns/").json()["results"]
    assert [(c["id"], c["questions"], c["bodies_answered"]) for c in listed] == [
        (campaign.pk, "own", 4)]
    url = f"/api/v1/foi/campaigns/{campaign.pk}/todays-areas/"
    rows = client.get(url, {"page_size": "200"}).json()["results"]
    icb = next(row for row in rows if row["area_code"] == world["icb_area"].code)
    page = client.get(reverse("foi:report", args=[campaign.pk]))  # anonymous: no report
    assert page.status_code in (302, 403)
    assert icb["count_question"] == "seen"
    assert icb["trusts_under3_bodies"] >= 1 and icb["source"].endswith("(campaign: Babies 2026)")
    assert (icb["area_type"], icb["trusts_under3_computable"]) == ("icb", True)
    assert icb["trusts_under3_gave_number"] <= icb["trusts_under3_bodies"]
    assert client.get(url, {"question": "nope"}).status_code == 400
    assert client.get(url, {"format": "csv"})["Content-Type"].startswith("text/csv")
    # A campaign asking the 2019 questions has no figures on today's areas here.
    assert client.get(f"/api/v1/foi/campaigns/{campaign.pk}/areas/").status_code == 404
    # An answer nobody has checked is not published.
    later = _later_campaign_entered_not_checked(world["icb"])
    assert client.get(f"/api/v1/foi/campaigns/{later.pk}/todays-areas/").status_code == 404
