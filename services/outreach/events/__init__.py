"""The events the outreach service publishes; each type's data follows a JSON Schema in this folder."""

from pathlib import Path

from shared.bus.envelope import EventCatalog

# event type -> what it means (docs/asyncapi.yaml repeats these as the channels' summaries)
SUMMARIES = {
    "chancery.outreach.partner.created.v1": "A partner abroad (city, capital, region, authority) was registered.",
    "chancery.outreach.partner.updated.v1": "A partner's details or names changed.",
    "chancery.outreach.partner-relationship.established.v1":
        "A relationship with a partner (twin city, partner city, cooperation by agreement) was recorded.",
    "chancery.outreach.partner-relationship.updated.v1": "A relationship's dates or basis changed.",
    "chancery.outreach.partner-relationship.ended.v1": "A relationship with a partner was given an end date.",
    "chancery.outreach.partner-contact.added.v1":
        "A contact person at a partner was added (their personal details stay in outreach).",
    "chancery.outreach.partner-contact.updated.v1": "A contact person's details changed.",
    "chancery.outreach.partner-contact.removed.v1": "A contact person was removed.",
    "chancery.outreach.plan-item.created.v1":
        "A plan item was entered by hand, or arrived from an agreement's activities, a trip report's follow-ups or a "
        "confirmed visit.",
    "chancery.outreach.plan-item.updated.v1": "A plan item's details changed (by staff, or because its source did).",
    "chancery.outreach.plan-item.started.v1": "Work on a plan item started.",
    "chancery.outreach.plan-item.progressed.v1": "The progress of a plan item in progress was reported.",
    "chancery.outreach.plan-item.completed.v1": "A plan item was done.",
    "chancery.outreach.plan-item.cancelled.v1":
        "A plan item was cancelled by staff (with a reason), or withdrawn because its source dropped or ended it.",
    "chancery.outreach.plan-item.reopened.v1": "A plan item that was done is in progress again.",
    "chancery.outreach.plan-item.restored.v1": "A cancelled plan item is planned again.",
    "chancery.outreach.plan-version.submitted.v1": "A version of the year's plan was submitted to the mayor's office.",
    "chancery.outreach.plan-version.approved.v1": "The mayor's office approved a version of the year's plan.",
    "chancery.outreach.plan-version.rejected.v1": "The mayor's office rejected a version of the year's plan.",
    "chancery.outreach.plan-version.superseded.v1": "An approved plan version gave way to a newer approved one.",
    "chancery.outreach.campaign.created.v1": "An information campaign was planned.",
    "chancery.outreach.campaign.updated.v1": "A campaign's goals, audiences, channels or schedule changed.",
    "chancery.outreach.material.created.v1": "A press release or material was drafted.",
    "chancery.outreach.material.updated.v1": "A draft material's texts or details changed.",
    "chancery.outreach.material.submitted.v1": "A material with its texts in en, ru and bg went to review.",
    "chancery.outreach.material.returned.v1": "A reviewer returned a material to draft, saying why.",
    "chancery.outreach.material.published.v1": "A reviewed material was published (by someone other than its "
                                               "submitter).",
    "chancery.outreach.material.withdrawn.v1": "A published material was withdrawn, with a reason.",
    "chancery.outreach.media-contact.added.v1": "A media contact was added (their personal details stay in "
                                                "outreach).",
    "chancery.outreach.media-contact.updated.v1": "A media contact's details changed.",
    "chancery.outreach.media-contact.removed.v1": "A media contact without accreditations was removed.",
    "chancery.outreach.accreditation.requested.v1": "An accreditation of a media contact for an event was requested.",
    "chancery.outreach.accreditation.granted.v1": "An accreditation was granted.",
    "chancery.outreach.accreditation.refused.v1": "An accreditation was refused, with a reason.",
    "chancery.outreach.accreditation.revoked.v1": "A granted accreditation was revoked, with a reason.",
    "chancery.outreach.survey.created.v1": "A commissioned public opinion survey was registered.",
    "chancery.outreach.survey.updated.v1": "A survey's title, purpose or pollster changed.",
    "chancery.outreach.survey-question.added.v1": "A question was added to a survey.",
    "chancery.outreach.survey.results-imported.v1":
        "A CSV of results was imported into a survey, every row of it (a file with a bad row imports nothing).",
    "chancery.outreach.mission.created.v1": "A foreign diplomatic or trade mission in the country was registered.",
    "chancery.outreach.mission.updated.v1": "A foreign mission's details changed.",
    "chancery.outreach.organisation.created.v1": "An international organisation or initiative was registered.",
    "chancery.outreach.organisation.updated.v1": "An international organisation's details changed.",
    "chancery.outreach.membership.created.v1": "The city's membership of an international organisation was recorded.",
    "chancery.outreach.membership.updated.v1": "A membership's dates, dues or events changed.",
    "chancery.outreach.office.created.v1": "A representative office of the city abroad was registered.",
    "chancery.outreach.office.updated.v1": "An office abroad's details changed (including its closing).",
    "chancery.outreach.office-report.submitted.v1": "An office abroad submitted (or resubmitted) a periodic report.",
    "chancery.outreach.office-report.updated.v1": "An office report's period or summary changed.",
    "chancery.outreach.office-report.accepted.v1": "An office report was reviewed and accepted.",
    "chancery.outreach.office-report.returned.v1": "An office report was returned for rework, with a reason.",
    "chancery.outreach.compatriot-programme.created.v1": "A programme for compatriots abroad was set up.",
    "chancery.outreach.compatriot-programme.updated.v1": "A compatriot programme's budget, events or figures changed.",
    "chancery.outreach.society.created.v1": "A friendship society or NGO of international focus was registered.",
    "chancery.outreach.society.updated.v1": "A society's details or joint events changed.",
    "chancery.outreach.organisation-contact.added.v1":
        "A contact person of a society, NGO, office abroad or foreign mission was added (their personal details "
        "stay in outreach).",
    "chancery.outreach.organisation-contact.updated.v1": "A contact person of a society, office or mission changed.",
    "chancery.outreach.organisation-contact.removed.v1": "A contact person of a society, office or mission was "
                                                         "removed.",
    "chancery.outreach.office-staff-member.added.v1": "Someone joined the staff register of an office abroad.",
    "chancery.outreach.office-staff-member.updated.v1":
        "An office staff member's post or dates changed (including their leaving).",
    "chancery.outreach.office-staff-member.removed.v1": "An entry was removed from an office's staff register.",
    "chancery.outreach.compatriot-participant.added.v1": "A compatriot joined a compatriot programme.",
    "chancery.outreach.compatriot-participant.updated.v1": "A programme participant's details changed.",
    "chancery.outreach.compatriot-participant.removed.v1": "A participant was removed from a compatriot programme.",
    "chancery.outreach.enterprise.created.v1": "A city enterprise joined export promotion.",
    "chancery.outreach.enterprise.updated.v1": "An exporting enterprise's details changed.",
    "chancery.outreach.export-event.created.v1": "A trade fair, trade mission or business forum was planned.",
    "chancery.outreach.export-event.updated.v1": "An export event's dates, participants or outcomes changed.",
    "chancery.outreach.analytics.rebuilt.v1": "The analytics read model was rebuilt from the logged events.",
}
SCHEMAS = {"partner": "partner.v1.json", "partner-relationship": "partner-relationship.v1.json",
           "partner-contact": "partner-contact.v1.json", "plan-item": "plan-item.v1.json",
           "plan-version": "plan-version.v1.json", "campaign": "campaign.v1.json", "material": "material.v1.json",
           "media-contact": "media-contact.v1.json", "accreditation": "accreditation.v1.json",
           "survey": "survey.v1.json", "analytics": "analytics.v1.json", "survey-question": "survey-question.v1.json",
           **{record: f"{record}.v1.json" for record in ("mission", "organisation", "membership", "office",
                                                         "office-report", "compatriot-programme", "society",
                                                         "enterprise", "export-event", "organisation-contact",
                                                         "office-staff-member", "compatriot-participant")}}
SCHEMA_OF_TYPE = {"chancery.outreach.survey.results-imported.v1": "survey-results.v1.json"}

CATALOG = EventCatalog("outreach", Path(__file__).parent, {
    event_type: SCHEMA_OF_TYPE.get(event_type) or SCHEMAS[event_type.split(".")[2]] for event_type in SUMMARIES})

