"""Views declare who may use them; a test walks every URL to prove the declarations hold.

- `@public`: anyone, signed in or not.
- `@require_permission(Permission.X)`: signed in (else to the sign-in page), holding X through
  one of their roles (else 403), and verified with a second factor where a role needs one
  (else to the second-factor step). Object scoping is the view's `.visible_to(user)` query:
  another team's record is a 404, never a 403.
- `@signed_in`: any signed-in user (their own account pages); changes to the account itself
  add `@second_factor_first`, so a password alone cannot change the password, end the other
  sessions or replace the second factor of an account that has one.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from . import two_factor
from .permissions import Permission

ACCESS_ATTRIBUTE = "cradle_access"


def public(view):
    setattr(view, ACCESS_ATTRIBUTE, "public")
    return view


def is_verified(user) -> bool:
    return two_factor.is_verified(user)


def two_factor_url(next_page: str) -> str:
    return f"{settings.TWO_FACTOR_URL}?{urlencode({'next': next_page})}"


def require_permission(permission: Permission):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if not user.has_cradle_permission(permission):
                raise PermissionDenied
            if user.needs_two_factor() and not is_verified(user):
                return redirect(f"{settings.TWO_FACTOR_URL}?next={request.get_full_path()}")
            return view(request, *args, **kwargs)

        setattr(wrapped, ACCESS_ATTRIBUTE, permission)
        return wrapped

    return decorator


def signed_in(view):
    """Any signed-in user (their own account pages)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return view(request, *args, **kwargs)

    setattr(wrapped, ACCESS_ATTRIBUTE, "signed_in")
    return wrapped


def second_factor_first(view):
    """Inside `signed_in`: a user whose role needs a second factor, or who has one, must have
    used it in this session; otherwise nothing is done and they are sent to enter it (and
    back to the page, or to their account after a refused POST)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if two_factor.must_verify(request.user):
            back = (request.get_full_path() if request.method == "GET"
                    else reverse("accounts:account"))
            return redirect(two_factor_url(back))
        return view(request, *args, **kwargs)

    return wrapped
