"""The URL walk of test_access.py again, as someone allowed everywhere, sending rubbish: bad
query parameters to every URL, and empty and garbage bodies posted to every URL. Nothing may
answer with a 500 (or raise): bad input gets a 4xx or the page's own error message.

The garbage fields are the names the page's own forms use (read from the page), plus
parameters the views read from the query string, plus names no form has.
"""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cradle.accounts.models import CommissionerArea, NetworkRole, TeamMembership
from cradle.directory.models import Service
from cradle.geography.models import Area
from tests.accounts_helpers import make_user
from tests.integration import test_access
from tests.integration.test_access import project_urls

world = test_access.world  # the walk's fixture: one of each thing a URL can point at

pytestmark = pytest.mark.django_db

#: Query parameters the views read (pooled: year, nation, area, instrument; the register's
#: date; the audit log's page and filters).
QUERY_PARAMETERS = ["year", "nation", "area", "instrument", "on", "on-day", "on-month",
                    "on-year", "page", "format", "next", "kind", "start_0", "start_1",
                    "start_2", "end_0", "end_1", "end_2"]

#: Out-of-range and malformed numbers, dates and area keys, for query strings.
BAD_PARAMETERS = ["0", "-1", "1", "9999", "99999", "9" * 40, "abc", "2026-02-30",
                  "ccg2019:E38000001\x00", "ccg2019:nowhere"]
#: And for form bodies: wrong types, huge numbers, NUL bytes, long text.
GARBAGE = [*BAD_PARAMETERS, "1e309", "NaN", "9999-12-31", "' OR 1=1 --", "é" * 300, "[]"]


def last_and_first_dates(names: set[str]):
    """Real dates at the ends of the calendar in every date input (NHS.UK day, month and year
    boxes, named <name>_0/_1/_2 or on-day/on-month/on-year): 31 12 9999 and 1 1 1."""
    for day, month, year in (("31", "12", "9999"), ("1", "1", "1")):
        parts = {"_0": day, "-day": day, "_1": month, "-month": month, "_2": year,
                 "-year": year}
        yield f"the date {day} {month} {year}", {
            name: next((v for end, v in parts.items() if name.endswith(end)), year)
            for name in names}


class FormFields(HTMLParser):
    """The names of the fields of the page's forms, by method."""

    def __init__(self):
        super().__init__()
        self.method = None
        self.names = {"get": set(), "post": set()}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.method = (attrs.get("method") or "get").lower()
        elif tag in ("input", "select", "textarea") and attrs.get("name") and self.method:
            self.names.setdefault(self.method, set()).add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.method = None


def form_fields(response) -> dict[str, set[str]]:
    parser = FormFields()
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        parser.feed(response.content.decode(errors="replace"))
    return parser.names


@pytest.fixture
def everyone(client):
    """Signed in with every role (and a second factor), so every URL lets them in."""
    leeds = Service.objects.get(register_ref="T15")
    user = make_user("everyone@example.org", network_role="coordinator", team=leeds,
                     team_role="team_manager")
    NetworkRole.objects.create(user=user, role="analyst")
    TeamMembership.objects.create(user=user, service=Service.objects.get(register_ref="T16"),
                                  role="practitioner")
    CommissionerArea.objects.create(
        user=user, area=Area.objects.get(scheme="ccg2019", code="E38000001"))
    device = TOTPDevice.objects.create(user=user, name="test authenticator", confirmed=True)

    def sign_in_again():
        """Posting may sign them out (sign out, password change): sign in before each."""
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return sign_in_again


def assert_no_server_error(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"


def test_garbage_query_parameters_give_a_4xx_or_the_page_never_a_500(everyone, world):
    client = everyone()
    for name, url, _access in project_urls(world):
        names = set(QUERY_PARAMETERS) | form_fields(client.get(url))["get"]
        for value in BAD_PARAMETERS:
            response = client.get(url, dict.fromkeys(names, value))
            assert_no_server_error(response, f"GET {name} with {value!r}")
        for what, parameters in last_and_first_dates(names):
            assert_no_server_error(client.get(url, parameters), f"GET {name} with {what}")


def garbage_bodies(names: set[str]):
    """Empty, then every field given each garbage value, then fields given several values
    and files where text was expected, then fields no form has."""
    yield "an empty body", {}
    for value in GARBAGE:
        yield f"every field {value!r}", dict.fromkeys(names, value)
    yield from last_and_first_dates(names)
    yield "lists", {name: ["1", "2", "\u202e"] for name in names}
    yield "files", {name: SimpleUploadedFile(f"{name}.txt", b"\x00\xff" * 10) for name in names}
    yield "unknown fields", {"id": "1", "pk": "-1", "user": "1", "is_superuser": "on",
                             "team": "99999999999", "__class__": "x"}


def test_empty_and_garbage_posts_never_give_a_500(everyone, world):
    for name, url, _access in project_urls(world):
        client = everyone()
        names = form_fields(client.get(url))["post"]
        for what, body in garbage_bodies(names):
            client = everyone()
            response = client.post(url, body)
            assert_no_server_error(response, f"POST {name} with {what}")
            if response.status_code == 405:
                break  # not a form


def test_a_nul_character_in_the_query_string_is_a_400_with_a_message(everyone):
    client = everyone()
    response = client.get("/pooled/", {"area": "ccg2019:E38000001\x00"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_a_nul_character_in_a_form_is_a_400_with_a_message(everyone):
    client = everyone()
    response = client.post("/foi/new/", {"name": "Campaign\x00"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


class PageForms(HTMLParser):
    """Each POST form on a page: where it posts, its hidden fields' values (the management
    form, the one-time token) and the names of the fields a person would fill in."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[tuple[str, dict[str, str], set[str]]] = []
        self.current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.current = (attrs.get("action") or self.page_url, {}, set())
            self.forms.append(self.current)
        elif tag in ("input", "select", "textarea") and attrs.get("name") and self.current:
            if attrs.get("type") == "hidden":
                self.current[1][attrs["name"]] = attrs.get("value") or ""
            else:
                self.current[2].add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


@pytest.fixture
def sent_request(world):
    """The walk's FOI request, sent, so its page shows the response form."""
    from cradle.foi import actions as foi_actions
    from cradle.foi.models import FoiRequest

    foi_actions.send_requests(requests=FoiRequest.objects.filter(pk=world["request"]), email=False,
                              on=datetime.date(2026, 1, 6), by="test")
    return world


def test_every_form_posted_as_the_page_renders_it_never_gives_a_500(everyone, sent_request):
    """Nothing entered (only the form's own hidden fields), then those hidden fields with
    garbage in every field a person fills in: the FOI response form crashed with the first
    (KeyError 'comment', issue 13)."""
    posted = set()
    for name, url, _access in project_urls(sent_request):
        client = everyone()
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = PageForms(url)
        parser.feed(response.content.decode(errors="replace"))
        for action, hidden, names in parser.forms:
            if action.startswith("/account/sign-out") or action.startswith("/admin/"):
                continue
            bodies = [("nothing entered", dict.fromkeys(names, ""))]
            bodies += [(f"every field {value!r}", dict.fromkeys(names, value))
                       for value in GARBAGE[:6]]
            for what, body in bodies:
                client = everyone()
                fresh = PageForms(url)
                fresh.feed(client.get(url).content.decode(errors="replace"))
                tokens = next((h for a, h, _n in fresh.forms if a == action), hidden)
                response = client.post(action, tokens | body)
                assert_no_server_error(response, f"POST {action} from {name} with {what}")
                posted.add(action)
    assert any(action.endswith("/response/") for action in posted), sorted(posted)
