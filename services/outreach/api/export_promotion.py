"""Export promotion: the city's exporting enterprises and the fairs, missions and forums they go to."""

from __future__ import annotations

from services.outreach.api import relation_schemas as schemas
from services.outreach.api.register_views import register_views
from services.outreach.api.registers import ENTERPRISES, EXPORT_EVENTS

register_views(ENTERPRISES, "enterprise", create_body=schemas.EnterpriseCreate, path_model=schemas.EnterprisePath,
               query_model=schemas.EnterpriseQuery, update_body=schemas.EnterpriseUpdate)

register_views(EXPORT_EVENTS, "export_event", create_body=schemas.ExportEventCreate,
               path_model=schemas.ExportEventPath, query_model=schemas.ExportEventQuery,
               update_body=schemas.ExportEventUpdate)
