"""Outreach's records as the console shows them, declared once each (decision 0116): a register is a list (its
filters, sort and export columns), a form to create a record and to change it, a record page with the lists that
hang off the record (a partner's contacts, an office's staff, a campaign's materials); one shape for partners,
campaigns, surveys, missions, organisations, offices abroad, compatriot programmes, societies and NGOs, and
export promotion (`pages/outreach.py` serves them all)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext

from services.console.export import Column, Listing, date_column, status_column, text_column

WRITERS = ("outreach",)
READERS = ("outreach", "mayor-office")
PERSONAL_DATA_READERS = ("outreach",)  # the API masks contacts' e-mail and phone for the others
PERSONAL = ("email", "phone")
LANGUAGES = ("en", "ru", "bg")  # a material's languages, as the outreach API keeps them


@dataclass(frozen=True)
class Input:
    """A field of a form or a filter: `kind` is text, date, number, textarea, select or list (typed separated by
    commas, sent as a list)."""

    name: str
    label: Any
    kind: str = "text"
    options: tuple[tuple[str, Any], ...] = ()
    optional: bool = False


@dataclass(frozen=True)
class Child:
    """A list hanging off a record: read at `path` (`{id}` is the record's id) with `params`, created there with
    `params` in the body, each entry read at `path/<entry id>` (contacts: the audited unmasked read)."""

    name: str
    title: Any
    path: str
    columns: tuple[Column, ...]
    fields: tuple[Input, ...]
    params: dict[str, str] = field(default_factory=dict)
    person: bool = False  # e-mail and phone masked; revealed one at a time
    removable: bool = False
    actions: tuple[str, ...] = ()  # lifecycle actions offered as the API's `allowed_actions` names them
    shape: Callable[[dict], dict] | None = None
    changes: tuple[Input, ...] = ()  # an entry's change form (PATCH with If-Match); none: entries do not change
    changeable_in: tuple[str, ...] = ()  # the statuses in which the API lets an entry change; none: any
    shown: Callable[[dict], dict] | None = None  # an entry's fields as its forms name them (`shape` undone)
    field_of: Callable[[str], str] | None = None  # the form's field an API's error names
    events: str = ""  # an entry's field holding its dated events (EVENT_FIELDS), added and removed one at a time

    def read_params(self, record_id: str) -> dict[str, str]:
        return {name: value.format(id=record_id) for name, value in self.params.items()}

    def changeable(self, entry: dict) -> bool:
        return bool(self.changes) and (not self.changeable_in or entry.get("status") in self.changeable_in)

    def fields_shown(self, entry: dict) -> dict:
        """The entry's fields its change form shows: a person's e-mail and phone never (the list masks them; left
        blank, they stay as they are)."""
        values = self.shown(entry) if self.shown else entry
        return {one.name: values.get(one.name) for one in self.changes
                if not (self.person and one.name in PERSONAL)}


@dataclass(frozen=True)
class Register:
    name: str  # in the console's URL: /outreach/<name>
    title: Any
    one: Any  # a record of it, as a heading says
    listing: Listing  # the API's collection and the columns of the list and its export
    filters: tuple[Input, ...]
    sorts: dict[str, Any]
    fields: tuple[Input, ...]
    heading: str = "name"  # the record's field that names it
    children: tuple[Child, ...] = ()
    template: str = "outreach/record.html"
    extra_reads: Callable[[str], dict[str, tuple]] = lambda _record_id: {}
    shape: Callable[[dict], dict] | None = None
    top: bool = True  # in the outreach menu
    events: str = ""  # the record's field holding its dated events (EVENT_FIELDS), added and removed one at a time

    @property
    def path(self) -> str:
        return self.listing.path


def _choices(*codes: str) -> tuple[tuple[str, Any], ...]:
    return tuple((code, KIND_NAMES.get(code, code)) for code in codes)


KIND_NAMES = {
    "city": lazy_gettext("city"), "capital": lazy_gettext("capital"), "region": lazy_gettext("region"),
    "authority": lazy_gettext("authority"), "twin_city": lazy_gettext("twin city"),
    "partner_city": lazy_gettext("partner city"), "cooperation_agreement": lazy_gettext("cooperation agreement"),
    "embassy": lazy_gettext("embassy"), "consulate_general": lazy_gettext("consulate general"),
    "consulate": lazy_gettext("consulate"), "honorary_consulate": lazy_gettext("honorary consulate"),
    "trade_mission": lazy_gettext("trade mission"), "cultural_centre": lazy_gettext("cultural centre"),
    "foreign_ministry": lazy_gettext("foreign ministry"),
    "international_organisation": lazy_gettext("international organisation"), "network": lazy_gettext("network"),
    "initiative": lazy_gettext("initiative"), "friendship_society": lazy_gettext("friendship society"),
    "ngo": lazy_gettext("NGO"), "trade_fair": lazy_gettext("trade fair"),
    "business_forum": lazy_gettext("business forum"), "press_release": lazy_gettext("press release"),
    "printed": lazy_gettext("printed material"), "audio_visual": lazy_gettext("audio-visual material"),
    "single_choice": lazy_gettext("one of the options"), "scale": lazy_gettext("a scale"),
    "number": lazy_gettext("a number"), "text": lazy_gettext("free text"),
}


def kind_column(name: str, header: Any) -> Column:
    return Column(header, lambda row: str(KIND_NAMES.get(row.get(name) or "", row.get(name) or "")))


def _listed(name: str, header: Any) -> Column:
    return Column(header, lambda row: ", ".join(map(str, row.get(name) or ())))


NAME = Input("name", lazy_gettext("Name"))
COUNTRY = Input("country", lazy_gettext("Country (ISO code such as BG)"))
WEBSITE = Input("website", lazy_gettext("Website"), optional=True)
SEARCH = Input("q", lazy_gettext("Search"), optional=True)
PERSON_FIELDS = (NAME, Input("position", lazy_gettext("Position"), optional=True),
                 Input("email", lazy_gettext("E-mail"), "email", optional=True),
                 Input("phone", lazy_gettext("Phone"), optional=True),
                 Input("languages", lazy_gettext("Languages (ISO codes separated by commas)"), "list",
                       optional=True))
PERSON_COLUMNS = (text_column("name", lazy_gettext("Name")), text_column("position", lazy_gettext("Position")),
                  text_column("email", lazy_gettext("E-mail")), text_column("phone", lazy_gettext("Phone")))


EVENT_FIELDS = (Input("title", lazy_gettext("Event")), Input("held_on", lazy_gettext("Held on"), "date"),
                Input("place", lazy_gettext("Place"), optional=True))
RELATIONSHIP_FIELDS = (  # its type stays; ending it is its `ended_on`
    Input("established_on", lazy_gettext("Established on"), "date"),
    Input("ended_on", lazy_gettext("Ended on"), "date", optional=True),
    Input("basis", lazy_gettext("Basis (a charter, an agreement, a decision)"), "textarea", optional=True))


def contacts(params: dict[str, str]) -> Child:
    return Child("contacts", lazy_gettext("Contact people"), "/organisation-contacts", PERSON_COLUMNS,
                 PERSON_FIELDS, params, person=True, removable=True, changes=PERSON_FIELDS)


def _texts(body: dict) -> dict:
    """A material's three language versions, as the API nests them; a language left blank is left out."""
    texts = {code: {"title": body.pop(f"title_{code}", ""), "body": body.pop(f"body_{code}", "")}
             for code in LANGUAGES}
    return {**body, "texts": {code: text for code, text in texts.items() if text["title"] or text["body"]}}


def _flat_texts(material: dict) -> dict:
    """A material's texts as its form names them: `title_bg`, `body_bg`."""
    texts = material.get("texts") or {}
    return {**material, **{f"{part}_{code}": (texts.get(code) or {}).get(part) for code in LANGUAGES
                           for part in ("title", "body")}}


def _text_field(name: str) -> str:
    """The form's field an error of the materials API names: `texts.bg.body` is `body_bg`; `texts.bg`, a language
    missing for review, its title."""
    parts = name.split(".")
    if parts[0] != "texts" or len(parts) < 2:
        return name
    return f"{parts[2] if len(parts) > 2 else 'title'}_{parts[1]}"


def _names(body: dict) -> dict:
    """A partner's names in other languages, typed one per line as `bg: София`."""
    lines = [line.partition(":") for line in body.pop("names", "").replace(",", "\n").splitlines()]
    names = [{"language": code.strip(), "name": name.strip()} for code, _colon, name in lines if name.strip()]
    return {**body, "names": names} if names else body


PARTNERS = Register(
    "partners", lazy_gettext("Partners and twin cities"), lazy_gettext("Partner"),
    Listing("partners", "outreach", "/partners", (
        text_column("name", lazy_gettext("Name")), kind_column("kind", lazy_gettext("Kind")),
        text_column("country", lazy_gettext("Country")), text_column("region", lazy_gettext("Region")))),
    (Input("q", lazy_gettext("Name in any language or script"), optional=True),
     Input("kind", lazy_gettext("Kind"), "select", _choices("city", "capital", "region", "authority")),
     Input("country", lazy_gettext("Country")),
     Input("relationship", lazy_gettext("Holding a relationship"), "select",
           _choices("twin_city", "partner_city", "cooperation_agreement"))),
    {"name": lazy_gettext("name"), "country": lazy_gettext("country"), "kind": lazy_gettext("kind"),
     "-created_at": lazy_gettext("newest first")},
    (Input("kind", lazy_gettext("Kind"), "select", _choices("city", "capital", "region", "authority")), NAME,
     COUNTRY, Input("region", lazy_gettext("Region"), optional=True), WEBSITE,
     Input("names", lazy_gettext("Names in other languages, one per line (such as bg: София)"), "names",
           optional=True), Input("notes", lazy_gettext("Notes"), "textarea", optional=True)),
    children=(
        Child("relationships", lazy_gettext("Relationships"), "/partners/{id}/relationships", (
            kind_column("type", lazy_gettext("Relationship")),
            date_column("established_on", lazy_gettext("Established")),
            date_column("ended_on", lazy_gettext("Ended")), text_column("basis", lazy_gettext("Basis"))),
            (Input("type", lazy_gettext("Relationship"), "select",
                   _choices("twin_city", "partner_city", "cooperation_agreement")), *RELATIONSHIP_FIELDS),
            changes=RELATIONSHIP_FIELDS),
        Child("contacts", lazy_gettext("Contact people"), "/partners/{id}/contacts", PERSON_COLUMNS, PERSON_FIELDS,
              person=True, removable=True, changes=PERSON_FIELDS)),
    template="outreach/partner.html",
    extra_reads=lambda partner: {"timeline": ("outreach", f"/partners/{partner}/timeline", {"page_size": 50})},
    shape=_names)

LANGUAGE_NAMES = {"en": lazy_gettext("English"), "ru": lazy_gettext("Russian"), "bg": lazy_gettext("Bulgarian")}
MATERIAL_FIELDS = (  # the API's `texts` nested by language (`_texts`); a language left blank is not sent
    Input("kind", lazy_gettext("Kind"), "select", _choices("press_release", "printed", "audio_visual")),
    *(field for code in LANGUAGES for field in (
        Input(f"title_{code}", lazy_gettext("Title in %(language)s", language=LANGUAGE_NAMES[code]), optional=True),
        Input(f"body_{code}", lazy_gettext("Text in %(language)s", language=LANGUAGE_NAMES[code]), "textarea",
              optional=True))))

CAMPAIGNS = Register(
    "campaigns", lazy_gettext("Campaigns"), lazy_gettext("Campaign"),
    Listing("campaigns", "outreach", "/campaigns", (
        text_column("title", lazy_gettext("Title")), date_column("starts_on", lazy_gettext("Starts")),
        date_column("ends_on", lazy_gettext("Ends")), _listed("channels", lazy_gettext("Channels")))),
    (SEARCH, Input("on", lazy_gettext("Running on"), "date")),
    {"-starts_on": lazy_gettext("latest start first"), "starts_on": lazy_gettext("earliest start first"),
     "title": lazy_gettext("title")},
    (Input("title", lazy_gettext("Title")), Input("goals", lazy_gettext("Goals"), "textarea"),
     Input("audiences", lazy_gettext("Audiences (separated by commas)"), "list", optional=True),
     Input("channels", lazy_gettext("Channels (separated by commas)"), "list", optional=True),
     Input("starts_on", lazy_gettext("Starts on"), "date"), Input("ends_on", lazy_gettext("Ends on"), "date")),
    heading="title",
    children=(Child("materials", lazy_gettext("Materials"), "/materials", (
        kind_column("kind", lazy_gettext("Kind")),
        Column(lazy_gettext("Title"), lambda row: next((text["title"] for text in (row.get("texts") or {}).values()
                                                        if text), "")),
        _listed("missing_languages", lazy_gettext("Languages missing")),
        status_column("status", lazy_gettext("Status")), text_column("status_reason", lazy_gettext("Reason"))),
        MATERIAL_FIELDS, params={"campaign_id": "{id}"}, actions=("submit", "return", "publish", "withdraw"),
        shape=_texts, changes=MATERIAL_FIELDS, changeable_in=("draft",), shown=_flat_texts, field_of=_text_field),))

SURVEYS = Register(
    "surveys", lazy_gettext("Surveys"), lazy_gettext("Survey"),
    Listing("surveys", "outreach", "/surveys", (
        text_column("title", lazy_gettext("Title")), text_column("commissioned_from", lazy_gettext("Pollster")),
        date_column("fieldwork_from", lazy_gettext("Fieldwork from")),
        date_column("fieldwork_until", lazy_gettext("Fieldwork until")))),
    (), {"-fieldwork_from": lazy_gettext("latest fieldwork first"), "title": lazy_gettext("title")},
    (Input("title", lazy_gettext("Title")), Input("purpose", lazy_gettext("Purpose"), "textarea", optional=True),
     Input("commissioned_from", lazy_gettext("Pollster")),
     Input("fieldwork_from", lazy_gettext("Fieldwork from"), "date"),
     Input("fieldwork_until", lazy_gettext("Fieldwork until"), "date")),
    heading="title",
    children=(Child("questions", lazy_gettext("Questions"), "/surveys/{id}/questions", (
        text_column("code", lazy_gettext("Column in the file")), text_column("text", lazy_gettext("Question")),
        kind_column("kind", lazy_gettext("Answer")), _listed("options", lazy_gettext("Options"))),
        (Input("code", lazy_gettext("Column in the file (such as knows_twin)")),
         Input("text", lazy_gettext("Question"), "textarea"),
         Input("kind", lazy_gettext("Answer"), "select", _choices("single_choice", "scale", "number", "text")),
         Input("options", lazy_gettext("Options (separated by commas)"), "list", optional=True),
         Input("scale_min", lazy_gettext("Scale from"), "number", optional=True),
         Input("scale_max", lazy_gettext("Scale to"), "number", optional=True))),),
    template="outreach/survey.html",
    extra_reads=lambda survey: {"summary": ("outreach", f"/surveys/{survey}/summary")})

MISSIONS = Register(
    "missions", lazy_gettext("Foreign missions"), lazy_gettext("Foreign mission"),
    Listing("missions", "outreach", "/missions", (
        text_column("name", lazy_gettext("Name")), kind_column("kind", lazy_gettext("Kind")),
        text_column("sending_country", lazy_gettext("Country")), text_column("city", lazy_gettext("City")))),
    (SEARCH, Input("kind", lazy_gettext("Kind"), "select", _choices(
        "embassy", "consulate_general", "consulate", "honorary_consulate", "trade_mission", "cultural_centre",
        "foreign_ministry")), Input("sending_country", lazy_gettext("Country"))),
    {"name": lazy_gettext("name"), "sending_country": lazy_gettext("country"), "kind": lazy_gettext("kind")},
    (Input("kind", lazy_gettext("Kind"), "select", _choices(
        "embassy", "consulate_general", "consulate", "honorary_consulate", "trade_mission", "cultural_centre",
        "foreign_ministry")), Input("name", lazy_gettext("Name")),
     Input("sending_country", lazy_gettext("Country it represents (ISO code)")), Input("city", lazy_gettext("City")),
     Input("address", lazy_gettext("Address"), "textarea", optional=True), WEBSITE,
     Input("notes", lazy_gettext("Notes"), "textarea", optional=True)),
    children=(contacts({"mission_id": "{id}"}),))

MEMBERSHIP_FIELDS = (  # the membership ends with its `member_until`
    Input("member_since", lazy_gettext("Member since"), "date"),
    Input("member_until", lazy_gettext("Member until"), "date", optional=True),
    Input("annual_dues_amount", lazy_gettext("Annual dues"), optional=True),
    Input("dues_currency", lazy_gettext("Currency (such as EUR)"), optional=True))

ORGANISATIONS = Register(
    "organisations", lazy_gettext("International organisations"), lazy_gettext("International organisation"),
    Listing("organisations", "outreach", "/organisations", (
        text_column("name", lazy_gettext("Name")), text_column("acronym", lazy_gettext("Acronym")),
        kind_column("kind", lazy_gettext("Kind")))),
    (SEARCH, Input("kind", lazy_gettext("Kind"), "select", _choices("international_organisation", "network",
                                                                    "initiative"))),
    {"name": lazy_gettext("name"), "kind": lazy_gettext("kind")},
    (Input("kind", lazy_gettext("Kind"), "select", _choices("international_organisation", "network", "initiative")),
     NAME, Input("acronym", lazy_gettext("Acronym"), optional=True),
     Input("scope", lazy_gettext("Scope"), "textarea", optional=True), WEBSITE),
    children=(Child("memberships", lazy_gettext("The city's membership"), "/memberships", (
        date_column("member_since", lazy_gettext("Member since")),
        date_column("member_until", lazy_gettext("Member until")),
        text_column("annual_dues_amount", lazy_gettext("Annual dues")),
        text_column("dues_currency", lazy_gettext("Currency"))),
        MEMBERSHIP_FIELDS, params={"organisation_id": "{id}"}, changes=MEMBERSHIP_FIELDS, events="events"),))

STAFF_FIELDS = (*PERSON_FIELDS[:1], Input("position", lazy_gettext("Position")), *PERSON_FIELDS[2:],
                Input("employed_from", lazy_gettext("Employed from"), "date"),
                Input("employed_until", lazy_gettext("Employed until"), "date", optional=True))

OFFICES = Register(
    "offices", lazy_gettext("Offices abroad"), lazy_gettext("Office abroad"),
    Listing("offices", "outreach", "/offices", (
        text_column("name", lazy_gettext("Name")), text_column("country", lazy_gettext("Country")),
        text_column("city", lazy_gettext("City")), date_column("opened_on", lazy_gettext("Opened")))),
    (SEARCH, Input("country", lazy_gettext("Country"))),
    {"name": lazy_gettext("name"), "country": lazy_gettext("country"), "opened_on": lazy_gettext("opened")},
    (NAME, COUNTRY, Input("city", lazy_gettext("City")), Input("opened_on", lazy_gettext("Opened on"), "date"),
     Input("closed_on", lazy_gettext("Closed on"), "date", optional=True),
     Input("staff_count", lazy_gettext("Staff positions"), "number", optional=True), WEBSITE),
    children=(
        Child("staff", lazy_gettext("Staff"), "/office-staff", (
            *PERSON_COLUMNS, date_column("employed_from", lazy_gettext("Employed from")),
            date_column("employed_until", lazy_gettext("Employed until"))),
            STAFF_FIELDS, params={"office_id": "{id}"}, person=True, removable=True, changes=STAFF_FIELDS),
        Child("reports", lazy_gettext("Reports"), "/office-reports", (
            date_column("period_from", lazy_gettext("From")), date_column("period_until", lazy_gettext("Until")),
            text_column("summary", lazy_gettext("Summary")), status_column("status", lazy_gettext("Status"))),
            (Input("period_from", lazy_gettext("From"), "date"), Input("period_until", lazy_gettext("Until"), "date"),
             Input("summary", lazy_gettext("Summary"), "textarea")),
            params={"office_id": "{id}"}, actions=("accept", "return", "resubmit")),
        contacts({"office_id": "{id}"})))

PARTICIPANT_FIELDS = (*PERSON_FIELDS, COUNTRY, Input("city", lazy_gettext("City"), optional=True),
                      Input("organisation", lazy_gettext("Organisation they come from"), optional=True),
                      Input("joined_on", lazy_gettext("Joined on"), "date"))

PROGRAMMES = Register(
    "compatriot-programmes", lazy_gettext("Compatriot programmes"), lazy_gettext("Compatriot programme"),
    Listing("compatriot-programmes", "outreach", "/compatriot-programmes", (
        text_column("title", lazy_gettext("Title")), text_column("year", lazy_gettext("Year")),
        text_column("participants_count", lazy_gettext("Participants")))),
    (SEARCH, Input("year", lazy_gettext("Year"), "number")),
    {"year": lazy_gettext("year"), "title": lazy_gettext("title")},
    (Input("title", lazy_gettext("Title")), Input("year", lazy_gettext("Year"), "number"),
     Input("description", lazy_gettext("Description"), "textarea", optional=True),
     Input("budget_amount", lazy_gettext("Budget"), optional=True),
     Input("budget_currency", lazy_gettext("Currency (such as EUR)"), optional=True),
     Input("participants_count", lazy_gettext("Participants"), "number", optional=True)),
    heading="title",
    children=(Child("participants", lazy_gettext("Participants"), "/compatriot-participants", (
        *PERSON_COLUMNS, text_column("country", lazy_gettext("Country")),
        date_column("joined_on", lazy_gettext("Joined"))),
        PARTICIPANT_FIELDS, params={"programme_id": "{id}"}, person=True, removable=True,
        changes=PARTICIPANT_FIELDS),), events="events")

SOCIETIES = Register(
    "societies", lazy_gettext("Societies and NGOs"), lazy_gettext("Society or NGO"),
    Listing("societies", "outreach", "/societies", (
        text_column("name", lazy_gettext("Name")), kind_column("kind", lazy_gettext("Kind")),
        text_column("country", lazy_gettext("Country")))),
    (SEARCH, Input("kind", lazy_gettext("Kind"), "select", _choices("friendship_society", "ngo")),
     Input("country", lazy_gettext("Country"))),
    {"name": lazy_gettext("name"), "country": lazy_gettext("country"), "kind": lazy_gettext("kind")},
    (Input("kind", lazy_gettext("Kind"), "select", _choices("friendship_society", "ngo")), NAME,
     Input("country", lazy_gettext("Country it is devoted to (ISO code)"), optional=True), WEBSITE),
    children=(contacts({"society_id": "{id}"}),), events="joint_events")

ENTERPRISES = Register(
    "enterprises", lazy_gettext("Exporting enterprises"), lazy_gettext("Exporting enterprise"),
    Listing("enterprises", "outreach", "/enterprises", (
        text_column("name", lazy_gettext("Name")), text_column("sector", lazy_gettext("Sector")),
        text_column("website", lazy_gettext("Website")))),
    (SEARCH, Input("sector", lazy_gettext("Sector"))), {"name": lazy_gettext("name"), "sector": lazy_gettext("sector")},
    (NAME, Input("sector", lazy_gettext("Sector")), WEBSITE))

EXPORT_EVENTS = Register(
    "export-events", lazy_gettext("Export promotion"), lazy_gettext("Export promotion event"),
    Listing("export-events", "outreach", "/export-events", (
        text_column("title", lazy_gettext("Title")), kind_column("kind", lazy_gettext("Kind")),
        text_column("country", lazy_gettext("Country")), date_column("starts_on", lazy_gettext("Starts")),
        date_column("ends_on", lazy_gettext("Ends")))),
    (SEARCH, Input("kind", lazy_gettext("Kind"), "select", _choices("trade_fair", "trade_mission", "business_forum")),
     Input("country", lazy_gettext("Country"))),
    {"starts_on": lazy_gettext("earliest start first"), "title": lazy_gettext("title"),
     "country": lazy_gettext("country")},
    (Input("kind", lazy_gettext("Kind"), "select", _choices("trade_fair", "trade_mission", "business_forum")),
     Input("title", lazy_gettext("Title")), COUNTRY, Input("city", lazy_gettext("City"), optional=True),
     Input("starts_on", lazy_gettext("Starts on"), "date"), Input("ends_on", lazy_gettext("Ends on"), "date")),
    heading="title")

REGISTERS = {register.name: register for register in (
    PARTNERS, CAMPAIGNS, SURVEYS, MISSIONS, ORGANISATIONS, OFFICES, PROGRAMMES, SOCIETIES, ENTERPRISES,
    EXPORT_EVENTS)}
