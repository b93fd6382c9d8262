"""The city's representative offices abroad, their reviewed reports and staff, and the contact people of
offices, societies and missions."""

from __future__ import annotations

from services.outreach.api import relation_schemas as schemas
from services.outreach.api.register_views import register_views
from services.outreach.api.registers import OFFICE_REPORTS, OFFICES, ORGANISATION_CONTACTS, STAFF

register_views(OFFICES, "office", create_body=schemas.OfficeCreate, path_model=schemas.OfficePath,
               query_model=schemas.OfficeQuery, update_body=schemas.OfficeUpdate)

register_views(OFFICE_REPORTS, "office_report", create_body=schemas.OfficeReportCreate,
               path_model=schemas.OfficeReportPath, query_model=schemas.OfficeReportQuery,
               update_body=schemas.OfficeReportUpdate, actions=("accept", "return", "resubmit"))

register_views(STAFF, "office_staff_member", create_body=schemas.StaffMemberCreate, path_model=schemas.StaffMemberPath,
               query_model=schemas.StaffMemberQuery, update_body=schemas.StaffMemberUpdate, removable=True)

register_views(ORGANISATION_CONTACTS, "organisation_contact", create_body=schemas.OrganisationContactCreate,
               path_model=schemas.OrganisationContactPath, query_model=schemas.OrganisationContactQuery,
               update_body=schemas.OrganisationContactUpdate, removable=True)
