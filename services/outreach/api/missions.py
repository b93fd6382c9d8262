"""Foreign missions in the country, international organisations and the city's memberships of them."""

from __future__ import annotations

from services.outreach.api import relation_schemas as schemas
from services.outreach.api.register_views import register_views
from services.outreach.api.registers import MEMBERSHIPS, MISSIONS, ORGANISATIONS

register_views(MISSIONS, "mission", create_body=schemas.MissionCreate, path_model=schemas.MissionPath,
               query_model=schemas.MissionQuery, update_body=schemas.MissionUpdate)

register_views(ORGANISATIONS, "organisation", create_body=schemas.OrganisationCreate,
               path_model=schemas.OrganisationPath, query_model=schemas.OrganisationQuery,
               update_body=schemas.OrganisationUpdate)

register_views(MEMBERSHIPS, "membership", create_body=schemas.MembershipCreate, path_model=schemas.MembershipPath,
               query_model=schemas.MembershipQuery, update_body=schemas.MembershipUpdate)
