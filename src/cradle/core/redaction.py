"""Capability tokens taken out of paths and log lines (docs/adr/0027).

Some links are their own permission: whoever holds `/census/link/<token>/` may answer for a
service, whoever holds `/account/invitations/accept/<token>/` may create an account. Such a
token written to an access or error log is a credential in a file that many more people and
systems read than the emails it was sent in. Everything that writes a request's path
somewhere (the logging filter in `log_redaction`, the gunicorn logger in `gunicorn_logging`)
passes it through `redact` first.

Pure: no Django, so gunicorn's logger can use it before (and without) the app being loaded.
`CAPABILITY_ROUTES` is the one list of the URLs that carry a token; a test walks the URLconf
and fails if a route with a token parameter is missing from it or an entry names no route.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MARKER = "[token]"


@dataclass(frozen=True)
class CapabilityRoute:
    url_name: str  # the route's name in the URLconf (checked by the URLconf test)
    prefix: str  # the path before the secret segments, from the site's root
    secret_segments: int  # how many path segments after the prefix are the secret


CAPABILITY_ROUTES: tuple[CapabilityRoute, ...] = (
    CapabilityRoute("census:open-link", "/census/link/", 1),
    CapabilityRoute("surveys:answer", "/surveys/s/", 1),
    CapabilityRoute("accounts:accept-invitation", "/account/invitations/accept/", 1),
    # Django's reset link: the user's id and the token together are the permission.
    CapabilityRoute("accounts:password-reset-confirm", "/account/password-reset/", 2),
)

# No Cradle URL takes a token in its query string; these names are redacted anyway so that
# one added later, or a client's own `?token=`, is not logged whole either.
CAPABILITY_QUERY_PARAMETERS: tuple[str, ...] = ("token", "uidb64")

# A slash, or one percent-encoded (also twice: `%252F`), as in a `?next=` value or a Referer.
_SEPARATOR = r"(?:/|%(?:25)*2[fF])"
# A segment ends at a separator, the query or fragment, a space or a quote (log lines).
_SEGMENT = r"(?:(?!%(?:25)*2[fF])[^/?#&\s\"'<>])+"


def _route_pattern(route: CapabilityRoute) -> str:
    parts = [re.escape(part) for part in route.prefix.strip("/").split("/")]
    prefix = _SEPARATOR + _SEPARATOR.join(parts) + _SEPARATOR
    secrets = _SEPARATOR.join(f"({_SEGMENT})" for _ in range(route.secret_segments))
    return prefix + secrets


_ROUTE_PATTERNS = tuple(re.compile(_route_pattern(route)) for route in CAPABILITY_ROUTES)
_QUERY_PATTERN = re.compile(
    r"(?:(?<=[?&;])|(?<=%3[fF])|(?<=%26))(?:"
    + "|".join(re.escape(name) for name in CAPABILITY_QUERY_PARAMETERS)
    + r")(=|%3[dD])([^&#\s\"'<>]*?)(?=$|[&#;\s\"'<>]|%26)",
    re.IGNORECASE)


def _mark_secret_groups(match: re.Match) -> str:
    text, start = [], match.start()
    for group in range(1, (match.re.groups or 0) + 1):
        text.append(match.string[start:match.start(group)])
        text.append(MARKER)
        start = match.end(group)
    text.append(match.string[start:match.end()])
    return "".join(text)


def _mark_query_value(match: re.Match) -> str:
    name_and_equals = match.string[match.start():match.end(1)]
    return name_and_equals + (MARKER if match.group(2) else "")


def redact(text: str) -> str:
    """`text` (a path, a URL, a request line or a whole log line) with every capability
    token replaced by MARKER; anything else is returned unchanged."""
    if not text:
        return text
    for pattern in _ROUTE_PATTERNS:
        text = pattern.sub(_mark_secret_groups, text)
    return _QUERY_PATTERN.sub(_mark_query_value, text)


def carries_capability_token(path: str) -> bool:
    """Whether this path (or URL) holds a capability token."""
    return redact(path) != path
