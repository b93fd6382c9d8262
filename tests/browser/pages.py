"""What every browser test checks on every page it opens: axe-core finds no serious or critical violation, and
the browser reported no Content-Security-Policy violation (the console's own scripts run under its policy)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = """() => axe.run(document, {runOnly: {type: 'tag',
                                       values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']}})
  .then(result => result.violations.filter(v => ['serious', 'critical'].includes(v.impact))
  .map(v => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' '))})))"""


@cache
def axe_source() -> str:
    return AXE.read_text()


def check(page: Page) -> None:
    """axe-core is evaluated through the DevTools protocol, which the page's policy does not govern."""
    page.wait_for_load_state("load")
    page.evaluate(axe_source())
    violations = page.evaluate(SERIOUS)
    assert violations == [], f"{page.url}: {violations}"
    assert page.csp_violations == [], page.csp_violations


def go(page: Page, path: str) -> Page:
    page.goto(path)
    check(page)
    return page


GUIDE_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "guide" / "img"


def guide_shot(page: Page, name: str) -> None:
    """With CHANCERY_GUIDE_SCREENSHOTS=1, what the person sees now becomes `docs/guide/img/<name>.png` (the
    viewport only, at CSS scale: small files the guides show)."""
    if os.environ.get("CHANCERY_GUIDE_SCREENSHOTS") == "1":
        page.screenshot(path=str(GUIDE_IMAGES / f"{name}.png"), scale="css")
