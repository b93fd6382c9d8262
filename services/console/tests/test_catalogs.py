"""The console's texts are all in its catalogs (issue 16: every page in English, Russian and Bulgarian, decision
0165). The catalogs hold every extracted text, translated and compiled, with the English text's placeholders; no
template or module shows a human-language text outside gettext, or translates one when it is imported; every
label, problem text and field message the console's modules hold reads from the Russian and Bulgarian catalogs.
What the pages look up at run time is checked by tests/console/test_every_page_in_every_language.py."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import Babel
from flask_babel.speaklater import LazyString
from jinja2 import Environment, nodes

from services.console.formatting import ACTION_NAMES
from services.console.problems import BY_TYPE, CLASH_REASONS, WITH_REASON, problem_message
from services.console.upstream import Answer
from shared.http.problems import PROBLEM_TYPES
from tests.support.catalogs import summary, untranslated

CONSOLE = Path(__file__).resolve().parents[1]
TRANSLATIONS = CONSOLE / "translations"
GETTEXT = {"_", "gettext", "ngettext", "pgettext", "npgettext"}
LAZY = {"lazy_gettext", "lazy_ngettext", "lazy_pgettext"}
# Not for people to read, or English on purpose: what the console says to operators (logs, exceptions, metrics'
# help) and these few words that are not in any language the person chose.
OPERATORS = {"debug", "info", "warning", "error", "exception", "critical", "Histogram", "Counter", "Gauge"}
NOT_LANGUAGE = {
    "Chancery",  # the suite's name
    "English",  # the language's own name in the language switch and pickers, as Русский and Български are
    "consecutive, simultaneous",  # the interpreters API's value for both modes, shown by its label
    "Accept", "Authorization", "Bearer", "Lax",  # HTTP's words: headers, a token's scheme, a cookie's SameSite
    "openid profile offline_access",  # the OpenID Connect scopes asked for
}
ANY_NOT_LANGUAGE = "|".join(re.escape(word) for word in NOT_LANGUAGE)
# Problem types a person at the console never reads: the rest are each said in the person's language.
NEVER_SHOWN = {
    "not-ready": "a probe's answer", "not-alive": "a probe's answer",
    "too-many-streams": "the live relay's own stream retries (decision 0095)",
    **dict.fromkeys(("webhook-disabled", "not-a-webhook-delivery", "delivery-in-progress"),
                    "no console page manages webhooks"),
}
SAID_FROM_THEIR_PARTS = {"illegal-transition"}  # the possible actions named (problems.py)
PLACEHOLDERS = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
HUMAN_ATTRIBUTES = {"title", "placeholder", "aria-label", "aria-description", "alt", "label"}
HOLE = " \u2042 "  # where a template's tag or expression stood
WORDS = re.compile(r"[^\W\d_]{2,}[ \t]+[^\W\d_]{2,}|^[A-Z][a-z]{2,}[.!?:]?$")


def catalog(language: str):
    return read_po(open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb"))


def human(text: str) -> bool:
    """Two words, or one capitalised: a text for people (a code is one word in lower case, or has no spaces)."""
    bare = PLACEHOLDERS.sub(" ", text).strip()
    return bare not in NOT_LANGUAGE and bool(WORDS.search(bare))


@pytest.mark.parametrize("language", ["ru", "bg"])
def test_every_english_text_has_a_translation_and_the_compiled_catalog_is_current(language):
    source = catalog(language)
    template = read_po(open(TRANSLATIONS / "messages.pot", "rb"))
    untranslated_ids = [m.id for m in template if m.id and not (source.get(m.id) and source.get(m.id).string)]
    assert untranslated_ids == []
    empty = [m.id for m in source if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    assert empty == [], "a message without its translation"
    fuzzy = [m.id for m in source if m.id and m.fuzzy]
    assert fuzzy == [], "a fuzzy translation (a guess of pybabel's): translate it and drop the flag"
    copied = [m.id for m in source if m.id and m.string == m.id and len(m.id) > 12]
    assert copied == [], "a translation that is the English text again"
    compiled = read_mo(open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo", "rb"))
    expected, actual = io.BytesIO(), io.BytesIO()
    write_mo(expected, source)
    write_mo(actual, compiled)
    assert actual.getvalue() == expected.getvalue(), "run `make translations`"


def names_in(text: str) -> list[str]:
    return sorted(percent or brace for percent, brace in PLACEHOLDERS.findall(text))


@pytest.mark.parametrize("language", ["ru", "bg"])
def test_each_translation_has_exactly_the_placeholders_of_its_english_text(language):
    wrong = [(m.id, m.string) for m in catalog(language) if m.id and names_in(m.id) != names_in(m.string)]
    assert wrong == [], "a translation that drops, adds or renames a %(name)s or {name}"


class _Texts(HTMLParser):
    """The text a template's HTML shows: its text nodes and the attributes read to people."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_code = 0

    def handle_starttag(self, tag, attrs):
        self.in_code += tag in ("script", "style")
        self.found.extend(value for name, value in attrs if name in HUMAN_ATTRIBUTES and value)

    def handle_endtag(self, tag):
        self.in_code -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.in_code:
            self.found.append(data)


def _written_text(environment: Environment, source: str) -> list[str]:
    """The template's own HTML text, each Jinja tag or expression a hole."""
    skeleton = "".join(value if kind == "data" else HOLE if kind.endswith("_begin") else ""
                       for _, kind, value in environment.lex(source))
    parser = _Texts()
    parser.feed(skeleton)
    parser.close()
    return [text.replace(HOLE.strip(), " ").strip() for text in parser.found]


def _constants(node: nodes.Node):
    """The string constants of a template's expressions that are not gettext's argument."""
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name in GETTEXT:
        for keyword in node.kwargs:
            yield from _constants(keyword)
        return
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        yield node
    for child in node.iter_child_nodes():
        yield from _constants(child)


def test_no_template_shows_a_text_outside_gettext():
    environment = Environment(extensions=["jinja2.ext.i18n"])
    found = []
    for path in sorted((CONSOLE / "templates").rglob("*.html")):
        source, name = path.read_text(), path.relative_to(CONSOLE).as_posix()
        found += [f"{name}: {text!r}" for text in _written_text(environment, source)
                  if re.search(r"[^\W\d_]{2,}", re.sub(ANY_NOT_LANGUAGE, " ", text))]
        found += [f"{name}:{const.lineno}: {const.value!r}" for const in _constants(environment.parse(source))
                  if human(const.value)]
    assert found == [], "wrap each in _(), then `make translations` and translate it"


def _python_modules() -> list[Path]:
    return sorted(path for path in CONSOLE.rglob("*.py") if "tests" not in path.relative_to(CONSOLE).parts)


def _called(node: ast.AST) -> str:
    function = getattr(node, "func", None)
    return getattr(function, "id", None) or getattr(function, "attr", "") if function else ""


def _not_for_people(tree: ast.Module) -> set[int]:
    """Docstrings, gettext's texts and what the console says to operators."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and ast.get_docstring(node):
            skipped.add(id(node.body[0].value))  # type: ignore[attr-defined]
        if isinstance(node, ast.Raise) and node.exc:
            said = [node.exc]
        elif _called(node) in GETTEXT | LAZY | OPERATORS:
            said = node.args  # type: ignore[attr-defined]
        else:
            continue
        skipped.update(id(inner) for part in said for inner in ast.walk(part))
    return skipped


def test_no_module_of_the_console_holds_a_text_for_people_outside_gettext():
    found = []
    for path in _python_modules():
        tree = ast.parse(path.read_text())
        skipped = _not_for_people(tree)
        found += [f"{path.relative_to(CONSOLE)}:{node.lineno}: {node.value!r}" for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped
                  and human(node.value)]
    assert found == [], "wrap each in _() (in a view) or lazy_gettext (a label map, a module's constant)"


def _at_import(node: ast.AST):
    """The nodes run when the module is imported: all but the bodies of functions."""
    yield node
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from _at_import(child)


def test_no_module_translates_a_text_when_it_is_imported():
    found = [f"{path.relative_to(CONSOLE)}:{node.lineno}" for path in _python_modules()
             for node in _at_import(ast.parse(path.read_text())) if _called(node) in GETTEXT]
    assert found == [], "translated once, in no request's language: use lazy_gettext"


def _lazy_texts(value, seen: set[int]):
    """Every lazy text inside a module's constant: its dicts, lists, tuples and dataclasses."""
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, LazyString):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _lazy_texts(inner, seen)
    elif isinstance(value, list | tuple | set | frozenset):
        for inner in value:
            yield from _lazy_texts(inner, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _lazy_texts(getattr(value, field.name), seen)


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(CONSOLE.parents[1]).with_suffix("").parts)


@pytest.mark.parametrize("language", ["ru", "bg"])
def test_every_label_and_problem_text_the_console_holds_reads_from_the_catalogs(language):
    app = Flask("catalogs")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    Babel(app, locale_selector=lambda: language)
    modules = [importlib.import_module(_module_name(path)) for path in _python_modules()]
    texts = [text for module in modules for value in vars(module).values() for text in _lazy_texts(value, set())]
    refused_steps = [Answer(409, {"type": "https://chancery.city/problems/illegal-transition",
                                  "allowed_actions": [code]}) for code in ACTION_NAMES]
    clashes = [Answer(409, {"type": "https://chancery.city/problems/schedule-clash",
                            "clashes": [{"title": "Talks", "reason": reason, "who": "City Hall"}]})
               for reason in CLASH_REASONS]
    reasoned = [Answer(409, {"type": f"https://chancery.city/problems/{slug}", "reason": "as the service says"})
                for slug in WITH_REASON]
    busy = Answer(409, {"type": "https://chancery.city/problems/official-busy", "trips": [
        {"official": "Mayor", "title": "Forum", "starts_on": "2027-06-10", "ends_on": "2027-06-12"}], "engagements": [
        {"official": "Mayor", "title": "Talks", "starts_on": "2027-06-11"}]})
    with app.test_request_context(), untranslated() as misses:
        shown = [str(text) for text in texts]
        shown += [problem_message(answer) for answer in [*refused_steps, *clashes, *reasoned, busy]]
    assert len(texts) > len(BY_TYPE) and all(shown)
    assert summary(misses) == []


def test_every_problem_type_a_person_can_meet_is_said_in_their_language():
    unsaid = set(PROBLEM_TYPES) - set(BY_TYPE) - SAID_FROM_THEIR_PARTS - set(NEVER_SHOWN)
    assert unsaid == set(), "a problem type the services may answer: add its text to BY_TYPE (problems.py)"
    assert set(WITH_REASON) <= set(BY_TYPE) and set(NEVER_SHOWN) <= set(PROBLEM_TYPES)
