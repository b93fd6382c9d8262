"""What the console looked up in Russian or Bulgarian and its catalogs do not hold (issue 16: "a test fails on any
message not in the catalogs"). Every `_()`, `gettext`, `lazy_gettext`, `ngettext` and `pgettext` of the console's
Python and templates goes through Flask-Babel's `Domain.get_translations`; while `untranslated()` is open, the
catalog it returns notes each text it has no translation for, and the label filters (`formatting.LABELS`) note each
service's code they have no name for."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask, has_request_context, request
from flask_babel import Domain, get_locale

from services.console.formatting import LABELS

ENGLISH = "en"  # the msgids themselves: nothing to look up


@dataclass(frozen=True)
class Miss:
    language: str
    text: str  # the msgid, or "<filter>: <code>" for a code a label map lacks
    page: str



class Noting:
    """A language's catalog (babel's `Translations`) that notes each lookup it cannot answer. Compiled catalogs
    hold only translated, non-fuzzy messages, so a key missing from `_catalog` is a text shown in English."""

    def __init__(self, catalog, note: Callable[[str], None]):
        self.catalog, self.note = catalog, note

    def _look(self, key, text: str) -> None:
        if key not in self.catalog._catalog:
            self.note(text)

    def ugettext(self, message: str) -> str:
        self._look(message, message)
        return self.catalog.ugettext(message)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        self._look((singular, 0), singular)
        return self.catalog.ungettext(singular, plural, n)

    def upgettext(self, context: str, message: str) -> str:
        self._look(f"{context}\x04{message}", message)
        return self.catalog.upgettext(context, message)

    def unpgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        self._look((f"{context}\x04{singular}", 0), singular)
        return self.catalog.unpgettext(context, singular, plural, n)

    gettext, ngettext, pgettext, npgettext = ugettext, ungettext, upgettext, unpgettext

    def __getattr__(self, name: str):
        return getattr(self.catalog, name)


def _page() -> str:
    return request.full_path.rstrip("?") if has_request_context() else "(no request)"


@contextmanager
def untranslated(app: Flask | None = None) -> Iterator[list[Miss]]:
    """The misses while it is open; with `app`, its label filters' unnamed codes too."""
    misses: list[Miss] = []
    looked_up = Domain.get_translations

    def noting(domain: Domain):
        catalog = looked_up(domain)
        language = str(get_locale() or ENGLISH)
        if language == ENGLISH:
            return catalog
        return Noting(catalog, lambda text: misses.append(Miss(language, text, _page())))

    filters = dict(app.jinja_env.filters) if app else {}
    Domain.get_translations = noting  # type: ignore[method-assign]
    for name, names in LABELS.items() if app else ():
        app.jinja_env.filters[name] = _noting_label(name, names, misses)
    try:
        yield misses
    finally:
        Domain.get_translations = looked_up  # type: ignore[method-assign]
        if app:
            app.jinja_env.filters.update(filters)


def _noting_label(name: str, names: dict, misses: list[Miss]) -> Callable:
    def label(code):
        if code not in names:
            misses.append(Miss(str(get_locale() or ENGLISH), f"{name}: {code}", _page()))
        return names.get(code, code)
    return label


def summary(misses: list[Miss]) -> list[str]:
    """One line per text and language: where it was first met, and on how many pages."""
    pages: dict[tuple[str, str], list[str]] = {}
    for miss in misses:
        pages.setdefault((miss.language, miss.text), []).append(miss.page)
    return [f"{language}: {text!r} on {len(set(found))} page(s), first {found[0]}"
            for (language, text), found in sorted(pages.items())]
