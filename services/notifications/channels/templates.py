"""What a notification says on each channel: sandboxed Jinja2 templates per event type, channel and language
(here rather than in domain/, which imports only the standard library and the kit).

The convention (docs/decisions/0050-notification-templates.md):
`templates/<event type>/<channel>.<language>.j2`, e.g. `templates/chancery.visits.visit.confirmed.v1/in-app.ru.j2`.
The first line of the rendered text is the title (the e-mail subject), the rest after a blank line the body.
A template sees `data` (the event's data), `event` (id, type, subject, time) and `language`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import ChainableUndefined, FileSystemLoader, TemplateError, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment

LANGUAGES = ("en", "ru", "bg")
HUMAN_CHANNELS = ("in-app", "email")
REQUIRED_CHANNEL = "in-app"
DEFAULT_LANGUAGE = "en"
GENERIC = "_generic"  # used only for an event type that has no directory of its own yet
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
MAX_TITLE_LENGTH = 500


class TemplateProblem(ValueError):
    """A template that does not parse, renders nothing, or tries to leave the sandbox."""


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    template: str  # the template file used, relative to the templates directory


def _environment(loader=None) -> SandboxedEnvironment:
    # Text, not HTML: the inbox and the e-mail client display it as plain text, so nothing is escaped here.
    # A missing field, however deep (`data.budget.amount`), renders empty: events evolve additively.
    return SandboxedEnvironment(loader=loader, autoescape=False, undefined=ChainableUndefined,
                                trim_blocks=True, lstrip_blocks=True)


def candidates(event_type: str, channel: str, language: str) -> list[str]:
    """The fallback rule, most specific first: this channel and language, the in-app text in this language,
    then both in English, then the generic text."""
    names = []
    for directory in (event_type, GENERIC):
        for chan, lang in ((channel, language), (REQUIRED_CHANNEL, language),
                           (channel, DEFAULT_LANGUAGE), (REQUIRED_CHANNEL, DEFAULT_LANGUAGE)):
            name = f"{directory}/{chan}.{lang}.j2"
            if name not in names:
                names.append(name)
    return names


def split_message(text: str, template: str) -> Message:
    title, _, body = text.partition("\n")
    title = title.strip()
    if not title:
        raise TemplateProblem(f"{template} rendered an empty title")
    return Message(title[:MAX_TITLE_LENGTH], body.strip(), template)


def context(event: dict[str, Any], language: str) -> dict[str, Any]:
    return {"data": event.get("data") or {}, "language": language,
            "event": {name: event.get(name) for name in ("id", "type", "subject", "time")}}


class TemplateBook:
    """Every template under one directory; `render` applies the fallback rule."""

    def __init__(self, directory: Path = TEMPLATES_DIR):
        self.directory = directory
        self.environment = _environment(FileSystemLoader(str(directory)))

    def render(self, event: dict[str, Any], channel: str, language: str) -> Message:
        for name in candidates(event["type"], channel, language):
            try:
                template = self.environment.get_template(name)
            except TemplateNotFound:
                continue
            try:
                return split_message(template.render(context(event, language)), name)
            except TemplateError as error:
                raise TemplateProblem(f"{name}: {type(error).__name__}: {error}") from error
        raise TemplateProblem(f"no template for {event['type']} and no generic one in {self.directory}")

    def event_types(self) -> set[str]:
        return {path.name for path in self.directory.iterdir() if path.is_dir() and not path.name.startswith("_")}

    def missing(self, event_types: set[str]) -> list[str]:
        """The required templates (in-app, every language) that the given event types lack."""
        return sorted(f"{event_type}/{REQUIRED_CHANNEL}.{language}.j2" for event_type in event_types
                      for language in LANGUAGES
                      if not (self.directory / event_type / f"{REQUIRED_CHANNEL}.{language}.j2").is_file())


@cache
def default_book() -> TemplateBook:
    """The templates shipped with the service, read once per process (Jinja2 caches the compiled ones)."""
    return TemplateBook()


def render_source(source: str, event: dict[str, Any], language: str) -> Message:
    """Render a template given as text (the preview of a draft) in the same sandbox as the files."""
    try:
        text = _environment().from_string(source).render(context(event, language))
    except TemplateError as error:  # SecurityError, syntax errors and undefined names are all TemplateErrors
        raise TemplateProblem(f"{type(error).__name__}: {error}") from error
    return split_message(text, "(draft)")
