"""Accessibility checks for browser tests: axe-core run inside the page under test.

axe-core is vendored into tests/functional/vendor/axe.min.js (see docs/frontend.md); it is a
test tool and is never served by the app.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE_PATH = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

#: The WCAG 2.1 A and AA rule sets: what public sector bodies must meet.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

_RUN_AXE = """
async (options) => {
  const results = await axe.run(document, options);
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    targets: v.nodes.map((n) => n.target.join(" ")),
  }));
}
"""


def axe_violations(page: Page, tags: tuple[str, ...] = WCAG_TAGS) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now and return its violations."""
    if not AXE_PATH.is_file():
        raise FileNotFoundError(
            f"{AXE_PATH} is missing: run `npm ci --ignore-scripts && npm run vendor:axe` "
            "(see docs/frontend.md)"
        )
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Not page.add_script_tag(path=...): that inserts an inline <script>, which the
        # Content-Security-Policy blocks (and reports as a console error). Code evaluated
        # through the DevTools protocol is not subject to the page's CSP.
        page.evaluate(AXE_PATH.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(_RUN_AXE, {"runOnly": {"type": "tag", "values": list(tags)}})


def format_violations(violations: list[dict[str, Any]], max_targets: int = 3) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']} ({v['helpUrl']})")
        targets = v["targets"]
        for target in targets[:max_targets]:
            lines.append(f"    {target}")
        if len(targets) > max_targets:
            lines.append(f"    ... and {len(targets) - max_targets} more")
    return "\n".join(lines)


def assert_accessible(page: Page, tags: tuple[str, ...] = WCAG_TAGS) -> None:
    """Fail if axe-core finds WCAG 2.1 A/AA violations on the page as it is now."""
    violations = axe_violations(page, tags)
    if violations:
        raise AssertionError(
            f"{len(violations)} accessibility violation(s) on {page.url}:\n"
            + format_violations(violations)
        )
