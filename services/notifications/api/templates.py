"""The preview of a notification: what a template says for some event data, in a channel and language."""

from __future__ import annotations

from services.notifications.api.common import ADMINS
from services.notifications.api.template_schemas import TemplatePreview, TemplatePreviewOut
from services.notifications.channels.templates import TemplateProblem
from services.notifications.operations.templates import preview
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import json_response
from shared.http.views import blueprint

templates_api = blueprint("templates", __name__, "Notification templates")


@templates_api.post("/templates/preview", summary="Render a stored or draft template with sample data",
                    responses={200: TemplatePreviewOut, **problem_responses(400, 413, 415)})
@allow(*ADMINS)
def preview_template(body: TemplatePreview):
    try:
        message = preview(body.event_type, body.channel, body.language, body.data, body.subject, body.template)
    except TemplateProblem as error:
        raise Problem("validation", str(error), errors=[{"field": "template", "message": str(error)}]) from error
    return json_response(TemplatePreviewOut(title=message.title, body=message.body, template=message.template))
