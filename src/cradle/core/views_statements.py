"""The pages every site owes its users: privacy notice, accessibility statement, cookies and
contact. Public, linked from the footer of every page."""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cradle.accounts.access import public
from cradle.accounts.sign_in_throttle import KNOWN_BROWSER_COOKIE, KNOWN_BROWSER_DAYS
from cradle.surveys.cookies import SURVEY_GUARD_COOKIE, SURVEY_GUARD_DAYS


def _statement(request, template: str, **context):
    return render(request, f"core/statements/{template}.html", {
        "contact_email": settings.CRADLE_CONTACT_EMAIL, **context})


@public
@require_GET
def privacy(request):
    return _statement(request, "privacy",
                      session_minutes=settings.SESSION_COOKIE_AGE // 60)


@public
@require_GET
def accessibility(request):
    return _statement(request, "accessibility")


def strictly_necessary_cookies() -> list[dict[str, str]]:
    """Every cookie Cradle sets, named as the settings name them."""
    return [
        {"name": settings.SESSION_COOKIE_NAME, "purpose": "Keeps you signed in (and remembers "
         "that you entered your second factor) while you use Cradle.",
         "expires": f"When you sign out, or after {settings.SESSION_COOKIE_AGE // 60} minutes "
                    "without using Cradle"},
        {"name": settings.CSRF_COOKIE_NAME, "purpose": "Proves that a form you send was "
         "filled in on Cradle, not on another site (protection against cross-site request "
         "forgery).", "expires": "1 year"},
        {"name": CookieStorage.cookie_name, "purpose": "Carries a message (such as "
         "\u201cResponse saved\u201d) to the next page you see, then is removed.",
         "expires": "When you close the browser"},
        {"name": KNOWN_BROWSER_COOKIE, "purpose": "Set when you sign in: remembers that this "
         "browser has signed in to your account before, so that someone else trying wrong "
         "passwords for your account does not lock you out.",
         "expires": f"{KNOWN_BROWSER_DAYS} days"},
        {"name": SURVEY_GUARD_COOKIE, "purpose": "Set when you open a survey's link: a random "
         "code, for that survey only, so that one browser's answers are counted once. It "
         "says nothing about you, and your answers are not stored with it.",
         "expires": f"{SURVEY_GUARD_DAYS} days"},
    ]


@public
@require_GET
def cookies(request):
    return _statement(request, "cookies", cookies=strictly_necessary_cookies())


@public
@require_GET
def contact(request):
    return _statement(request, "contact")
