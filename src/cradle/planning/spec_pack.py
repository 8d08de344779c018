"""What an area's profile and specification pack show, for the pages and the PDF job alike."""

from __future__ import annotations

from django.template.loader import render_to_string

from cradle.directory.definition import CRITERIA, EXCLUSIONS
from cradle.geography.schemes import SCHEMES_BY_KEY

from . import plans
from .pdf import html_to_pdf
from .wording import foi_words


def profile_context(profile: plans.AreaProfile) -> dict:
    return {
        "profile": profile, "area": profile.area, "plan": profile.plan, "data": profile.data,
        "scheme": SCHEMES_BY_KEY[profile.area.scheme],
        "foi": [(answer, foi_words(answer.merged)) for answer in profile.foi],
    }


def spec_context(profile: plans.AreaProfile) -> dict:
    return {**profile_context(profile), "criteria": CRITERIA, "exclusions": EXCLUSIONS}


def spec_pack_pdf(profile: plans.AreaProfile, base_url: str) -> bytes:
    html = render_to_string("planning/spec_pack_document.html", spec_context(profile))
    return html_to_pdf(html, base_url)
