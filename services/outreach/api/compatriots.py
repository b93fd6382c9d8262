"""Programmes for compatriots abroad and their participants, friendship societies and NGOs."""

from __future__ import annotations

from services.outreach.api import relation_schemas as schemas
from services.outreach.api.register_views import register_views
from services.outreach.api.registers import PARTICIPANTS, PROGRAMMES, SOCIETIES

register_views(PROGRAMMES, "compatriot_programme", create_body=schemas.ProgrammeCreate,
               path_model=schemas.ProgrammePath, query_model=schemas.ProgrammeQuery,
               update_body=schemas.ProgrammeUpdate)

register_views(PARTICIPANTS, "compatriot_participant", create_body=schemas.ParticipantCreate,
               path_model=schemas.ParticipantPath, query_model=schemas.ParticipantQuery,
               update_body=schemas.ParticipantUpdate, removable=True)

register_views(SOCIETIES, "society", create_body=schemas.SocietyCreate, path_model=schemas.SocietyPath,
               query_model=schemas.SocietyQuery, update_body=schemas.SocietyUpdate)
