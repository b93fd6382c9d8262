"""The help menu: the guides of `docs/guide/` (Markdown, with the screenshots the browser tests take), served by the
console itself, each person shown the guides of their roles first (decision 0120)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import Blueprint, abort, redirect, render_template, send_from_directory, url_for
from flask_babel import lazy_gettext
from markdown_it import MarkdownIt
from markupsafe import Markup

from services.console.web import has_role, signed_in

help_pages = Blueprint("help", __name__)
GUIDES = Path(__file__).resolve().parents[3] / "docs" / "guide"
# Each guide, its title in the menu, and the roles whose daily work it walks through.
TITLES = {
    "protocol": (lazy_gettext("Protocol: my desk, visits and invitations"), ("protocol", "mayor-office")),
    "trips": (lazy_gettext("Trips: a request, its approval and the report"),
              ("travel", "department-head", "mayor-office")),
    "operators": (lazy_gettext("Operators: the services' health and dead letters"), ("operator",)),
    "procurement": (lazy_gettext("Procurement: plans, tenders, the auction and contracts"), ("procurement",)),
    "outreach": (lazy_gettext("Outreach: partners, the plan, campaigns and surveys"), ("outreach",)),
    "agreements": (lazy_gettext("Cooperation agreements: approval, clearance and signature"),
                   ("procurement", "mayor-office", "outreach")),
}


def written() -> list[str]:
    return [name for name in TITLES if (GUIDES / f"{name}.md").exists()]


@cache
def rendered(name: str) -> Markup:
    """A guide as HTML. Relative links and images stay relative: under /help/ they reach the other guides and
    /help/img/. No raw HTML (the pages' policy allows no inline markup, and none is needed)."""
    text = (GUIDES / f"{name}.md").read_text(encoding="utf-8")
    return Markup(MarkdownIt("commonmark", {"html": False}).enable("table").render(text))  # noqa: S704


@help_pages.get("/help/")
@signed_in
def index():
    mine = [name for name in written() if has_role(*TITLES[name][1])]
    return render_template("help/index.html", mine=[(name, TITLES[name][0]) for name in mine],
                           body=rendered("README"))


@help_pages.get("/help/<name>")
@signed_in
def guide(name: str):
    name = name.removesuffix(".md")
    if name == "README":
        return redirect(url_for("help.index"))
    if name not in written():
        abort(404)
    return render_template("help/guide.html", title=TITLES[name][0], body=rendered(name))


@help_pages.get("/help/img/<path:filename>")
@signed_in
def image(filename: str):
    return send_from_directory(GUIDES / "img", filename)
