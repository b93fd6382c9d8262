"""Notification templates: one per event type of docs/asyncapi.yaml in every language, the fallback rule,
the sandbox, and the preview endpoint."""

from pathlib import Path

import pytest
import yaml

from services.notifications.channels.templates import (
    LANGUAGES,
    TEMPLATES_DIR,
    TemplateBook,
    TemplateProblem,
    candidates,
    default_book,
    render_source,
)

ASYNCAPI = Path(__file__).resolve().parents[3] / "docs" / "asyncapi.yaml"
CONFIRMED = "chancery.visits.visit.confirmed.v1"
LYON = {"delegation_name": "Delegation of the City of Lyon", "city": "Lyon", "country": "FR",
        "starts_on": "2027-03-10", "ends_on": "2027-03-12", "status": "confirmed"}


def asyncapi_messages() -> dict[str, dict]:
    """Event type -> its message in docs/asyncapi.yaml (the examples give realistic data to render)."""
    document = yaml.load(ASYNCAPI.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {message["name"]: message for message in document["components"]["messages"].values()}


MESSAGES = asyncapi_messages()
TEMPLATE_TYPES = sorted(path.name for path in TEMPLATES_DIR.iterdir() if path.is_dir())


def event(event_type=CONFIRMED, data=None, subject="1f0e4c1a-6a3b-4d43-9a55-3f1d8c2b7e10"):
    return {"id": "e1", "type": event_type, "subject": subject, "time": "2027-03-01T09:00:00Z",
            "data": LYON if data is None else data}


def test_every_event_type_in_asyncapi_has_a_default_in_app_template_in_english_russian_and_bulgarian():
    assert MESSAGES, "docs/asyncapi.yaml lists no message"
    missing = default_book().missing(set(MESSAGES))
    assert not missing, ("add these templates (docs/decisions/0050-notification-templates.md): "
                         + ", ".join(missing))


def test_every_template_directory_is_an_event_type_of_asyncapi():
    assert default_book().event_types() <= set(MESSAGES)


@pytest.mark.parametrize("event_type", TEMPLATE_TYPES)
def test_every_template_renders_a_title_from_its_types_examples_and_from_no_data_at_all(event_type):
    examples = [{**example["payload"], "type": event_type}
                for example in MESSAGES.get(event_type, {}).get("examples", [])]
    for path in sorted((TEMPLATES_DIR / event_type).glob("*.j2")):
        channel, language, _ = path.name.split(".")
        for sample in [*examples, event(event_type, data={})]:
            rendered = default_book().render(sample, channel, language)
            assert rendered.template == str(path.relative_to(TEMPLATES_DIR))
            assert rendered.title.strip()
            assert "{{" not in rendered.title + rendered.body


@pytest.mark.parametrize(("language", "title"), [
    ("en", "Visit confirmed: Delegation of the City of Lyon"),
    ("ru", "Визит подтверждён: Delegation of the City of Lyon"),
    ("bg", "Посещение потвърдено: Delegation of the City of Lyon"),
])
def test_a_confirmed_visit_is_titled_in_the_subscribers_language_with_the_dates_in_the_body(language, title):
    message = default_book().render(event(), "in-app", language)
    assert message.title == title
    assert "2027-03-10" in message.body and "2027-03-12" in message.body


def test_the_fallback_goes_from_the_channel_to_in_app_then_to_english_then_to_the_generic_text():
    assert candidates(CONFIRMED, "email", "ru") == [
        f"{CONFIRMED}/email.ru.j2", f"{CONFIRMED}/in-app.ru.j2", f"{CONFIRMED}/email.en.j2",
        f"{CONFIRMED}/in-app.en.j2", "_generic/email.ru.j2", "_generic/in-app.ru.j2", "_generic/email.en.j2",
        "_generic/in-app.en.j2"]


def test_an_email_without_a_template_of_its_own_says_what_the_in_app_notification_says():
    message = default_book().render(event(), "email", "bg")
    assert message.template == f"{CONFIRMED}/in-app.bg.j2"


def test_an_event_type_without_templates_gets_the_generic_text_in_the_subscribers_language(tmp_path):
    message = default_book().render(event("chancery.visits.visit.postponed.v9", data={"title": "Lyon"}),
                                    "in-app", "ru")
    assert message.template == "_generic/in-app.ru.j2"
    assert message.title == "chancery.visits.visit.postponed.v9: Lyon"


def test_a_language_missing_from_a_directory_falls_back_to_english(tmp_path):
    (tmp_path / CONFIRMED).mkdir()
    (tmp_path / CONFIRMED / "in-app.en.j2").write_text("Confirmed {{ data.city }}\n\nBody")
    message = TemplateBook(tmp_path).render(event(), "email", "bg")
    assert (message.title, message.body, message.template) == ("Confirmed Lyon", "Body", f"{CONFIRMED}/in-app.en.j2")
    assert TemplateBook(tmp_path).missing({CONFIRMED}) == [f"{CONFIRMED}/in-app.bg.j2", f"{CONFIRMED}/in-app.ru.j2"]


@pytest.mark.parametrize("source", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ data.__class__.__init__.__globals__ }}",
    "{{ data.items.__self__.__class__.__subclasses__() }}",
])
def test_a_template_cannot_reach_python_internals(source):
    with pytest.raises(TemplateProblem, match="SecurityError|empty title"):
        render_source(source + "\n\nbody", event(), "en")


def test_a_template_file_that_tries_to_leave_the_sandbox_fails_rendering_instead_of_running(tmp_path):
    (tmp_path / CONFIRMED).mkdir()
    (tmp_path / CONFIRMED / "in-app.en.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(TemplateProblem, match="SecurityError"):
        TemplateBook(tmp_path).render(event(), "in-app", "en")


def test_a_template_that_renders_no_title_is_refused():
    with pytest.raises(TemplateProblem, match="empty title"):
        render_source("{{ data.missing }}\n\nbody", event(), "en")


# --- the preview endpoint ---

@pytest.fixture
def notifications(service_app):
    return service_app("notifications")


def preview(notifications, body, roles="notifications-admin"):
    return notifications.call("POST", "/api/v1/templates/preview", body, roles=roles, sub="nadia")


def test_the_preview_shows_the_stored_template_after_the_fallback_rule(notifications):
    response = preview(notifications, {"event_type": CONFIRMED, "channel": "email", "language": "ru", "data": LYON})
    assert response.status_code == 200, response.json
    assert response.json["title"] == "Визит подтверждён: Delegation of the City of Lyon"
    assert response.json["template"] == f"{CONFIRMED}/in-app.ru.j2"
    assert "с 2027-03-10 по 2027-03-12" in response.json["body"]


def test_the_preview_renders_a_draft_template_in_the_sandbox(notifications):
    draft = {"event_type": CONFIRMED, "data": LYON, "template": "Hello {{ data.city }}\n\nSee you."}
    response = preview(notifications, draft)
    assert response.json == {"title": "Hello Lyon", "body": "See you.", "template": "(draft)"}
    unsafe = preview(notifications, {**draft, "template": "{{ ''.__class__.__mro__ }}"})
    assert unsafe.status_code == 422
    assert unsafe.json["errors"][0]["field"] == "template"
    broken = preview(notifications, {**draft, "template": "{% if %}"})
    assert broken.status_code == 422


@pytest.mark.parametrize("field, value", [("event_type", "visit.confirmed"), ("language", "fr"),
                                          ("channel", "pigeon")])
def test_the_preview_names_the_field_it_cannot_accept(notifications, field, value):
    response = preview(notifications, {"event_type": CONFIRMED, field: value})
    assert response.status_code == 422
    assert field in {error["field"] for error in response.json["errors"]}


def test_only_notification_admins_preview_templates(notifications):
    assert preview(notifications, {"event_type": CONFIRMED}, roles="protocol").status_code == 403
    assert preview(notifications, {"event_type": CONFIRMED}, roles="admin").status_code == 200


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_inbox_shows_the_rendered_title_and_body(notifications, language):
    from services.notifications.operations.fan_out import fan_out
    from shared.uow import worker_unit_of_work

    notifications.call("POST", "/api/v1/subscriptions", {"pattern": CONFIRMED, "language": language},
                       roles="protocol", sub="olga")
    service = notifications.app.extensions["chancery"]
    with service.database.session() as session:
        fan_out(worker_unit_of_work(service, session, "e1"), event())
    [item] = notifications.call("GET", "/api/v1/inbox", roles="protocol", sub="olga").json["items"]
    expected = default_book().render(event(), "in-app", language)
    assert (item["title"], item["body"]) == (expected.title, expected.body)
