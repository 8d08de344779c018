"""Entity tags of API responses (pure: no Django imports).

A response depends on the public data version, the day (figures default to today), the path,
the normalised query and the format, and on nothing else (the API never reads who is asking);
so its tag is a hash of those, known before anything is computed: a client that has it is
answered 304 without a query of the figures.
"""

from __future__ import annotations

import hashlib

API_VERSION = "1"


def etag(*, data_version: str, today: str, path: str, query: str, fmt: str) -> str:
    text = "|".join((API_VERSION, data_version, today, path, query, fmt))
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """Whether an If-None-Match header names the tag (or is *); weak tags compare equal."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = tag.removeprefix("W/")
    return any(part.strip().removeprefix("W/") == wanted for part in if_none_match.split(","))
