"""The vendored front end works as production serves it, and templates stay CSP-clean.

No browser needed: these run with the unit tests.
"""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

import cradle

PACKAGE_DIR = Path(cradle.__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"
TEMPLATE_DIRS = [PACKAGE_DIR / "templates", *sorted(PACKAGE_DIR.glob("*/templates"))]
MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"

RUNTIME_FILES = [
    "vendor/nhsuk-frontend/nhsuk-frontend.min.css",
    "vendor/nhsuk-frontend/nhsuk-frontend.min.js",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/leaflet.js",
    "js/supported.js",
    "js/init.js",
    "js/table-scroll.js",
    "js/area-map.js",
    "js/status-map.js",
    "css/cradle.css",
]


def test_collectstatic_with_production_storage(tmp_path):
    """Manifest storage rewrites every url() in the CSS, and fails on any that is missing."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": MANIFEST_STORAGE},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)

    paths = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in RUNTIME_FILES:
        assert name in paths, f"{name} was not collected"
    css = (tmp_path / paths["vendor/nhsuk-frontend/nhsuk-frontend.min.css"]).read_text()
    assert re.search(r'url\("?assets/images/nhsuk-icon-cross\.[0-9a-f]{12}\.svg"?\)', css)
    # init.js imports the bundle by its plain name, which must be collected too.
    assert (tmp_path / "vendor/nhsuk-frontend/nhsuk-frontend.min.js").is_file()


@pytest.mark.parametrize("name", [n for n in RUNTIME_FILES if n.endswith(".css")])
def test_css_loads_nothing_from_elsewhere(name):
    css = (STATIC_DIR / name).read_text()
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css), f"{name} loads from another site"
    assert not re.search(r"url\(\s*['\"]?/", css), f"{name} has a root-relative url()"
    assert "@import" not in css


def _templates():
    for directory in TEMPLATE_DIRS:
        yield from sorted(directory.rglob("*.html"))


# Script elements must load a file; JSON data blocks (as Django's json_script makes) are not run.
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=[\"']?application/(ld\+)?json)[^>]*>", re.IGNORECASE
)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.IGNORECASE)


def test_templates_need_no_unsafe_inline():
    """The Content-Security-Policy allows no inline script or style: keep templates clean."""
    problems = []
    for path in _templates():
        text = path.read_text()
        for label, pattern in [
            ("inline <script>", INLINE_SCRIPT),
            ("style attribute", STYLE_ATTRIBUTE),
            ("<style> element", STYLE_ELEMENT),
            ("on* event handler attribute", EVENT_HANDLER),
            ("javascript: URL", JAVASCRIPT_URL),
        ]:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(PACKAGE_DIR)}:{line}: {label}")
    assert problems == [], "\n".join(problems)
