import datetime

import pytest

from cradle.directory.confirmation import RARE_JEWELS, confirmation_for, how_to_refer
from cradle.directory.models import RegisterClaim, Service, StatusChange
from cradle.directory.register_import import REGISTER_SOURCE, SNAPSHOT_DATE

pytestmark = pytest.mark.django_db


def in_2019(ref):
    service = Service.objects.create(register_ref=ref, name="Z team", kind="team",
                                     nation="England")
    StatusChange.objects.create(service=service, status="operating",
                                effective_from=SNAPSHOT_DATE, source=REGISTER_SOURCE)
    return service


def claim(service, **fields):
    values = {"dataset": "test", "name_given": service.name, "claimed_status": "operating",
              "evidence_date_text": "2025-11-17", "evidence_precision": "day",
              "evidence_from": datetime.date(2025, 11, 17),
              "evidence_to": datetime.date(2025, 11, 17), "strength": "yes",
              "source_urls": "https://vdocuments.us/rare-jewels.html\n"
                             "https://www.merseycare.nhs.uk/babs"}
    return RegisterClaim.objects.create(service=service, **(values | fields))


def test_a_service_only_2019_knows_is_confirmed_by_rare_jewels_in_june_2019():
    service = in_2019("Z01")
    confirmation = confirmation_for(service)
    assert (confirmation.on, confirmation.on_text, confirmation.source, confirmation.strength) == (
        datetime.date(2019, 6, 1), "June 2019", RARE_JEWELS, "yes_per_2019")
    assert "Rare Jewels" in confirmation.strength_words


def test_the_newest_claim_confirms_with_its_own_source():
    service = in_2019("Z02")
    claim(service)
    confirmation = confirmation_for(service)
    assert confirmation.on_text == "17 November 2025"
    assert (confirmation.source, confirmation.source_url) == (
        "merseycare.nhs.uk", "https://www.merseycare.nhs.uk/babs")
    assert confirmation.strength == "yes" and confirmation.status == "operating"
    assert confirmation.confirms_operating_on(datetime.date(2026, 12, 2))
    assert not confirmation.confirms_operating_on(datetime.date(2028, 1, 1))
    # Asked for a date before the claim, the service falls back on what was known then.
    assert confirmation_for(service, datetime.date(2020, 1, 1)).source == RARE_JEWELS


def test_an_undated_claim_says_so_and_confirms_no_date():
    service = Service.objects.create(name="New team", kind="team", nation="England")
    claim(service, evidence_date_text="n.d. (GM ICB page)", evidence_precision="undated",
          evidence_from=None, evidence_to=None, strength="likely")
    confirmation = confirmation_for(service)
    assert (confirmation.on, confirmation.on_text) == (None, "undated page")
    assert not confirmation.confirms_operating_on(datetime.date(2026, 12, 2))


def test_a_service_with_no_source_is_never_confirmed():
    service = Service.objects.create(name="Made up", kind="other", nation="England")
    confirmation = confirmation_for(service)
    assert confirmation.on is None and confirmation.strength == "unknown"


@pytest.mark.parametrize(("professional", "family", "pathway", "expected"), [
    (None, None, "", "Not recorded"),
    (True, True, "", "Families can refer themselves, or a professional"),
    (True, None, "", "Whether families can refer themselves is not recorded."),
    (True, False, "Use the referral form.", "Families cannot refer themselves. Use the referral"),
    (None, True, "", "Families can refer themselves."),
    (None, None, "Call the duty line.", "Call the duty line."),
])
def test_how_to_refer_in_plain_words(professional, family, pathway, expected):
    service = Service(name="x", kind="team", nation="England", professional_referral=professional,
                      self_referral=family, referral_pathway=pathway)
    assert expected in how_to_refer(service)


def test_a_changed_claim_moves_the_version_the_cached_headline_is_keyed_by():
    from cradle.directory.coverage_queries import data_version

    claim = RegisterClaim.objects.order_by("pk").first()
    before = data_version()
    claim.notes = f"{claim.notes} (re-read)"
    claim.save()
    assert data_version() != before
