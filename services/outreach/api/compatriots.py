"""Programmes for compatriots abroad and their participants, friendship societies and NGOs."""

from __future__ import annotations

from services.outreach.api.common import READERS, WRITERS
from services.outreach.api.registers import (
    PARTICIPANTS,
    PROGRAMMES,
    SOCIETIES,
    change,
    change_route,
    create,
    create_route,
    list_records,
    list_route,
    read,
    read_route,
    remove,
    remove_route,
)
from services.outreach.api.relation_schemas import (
    ParticipantCreate,
    ParticipantPath,
    ParticipantQuery,
    ParticipantUpdate,
    ProgrammeCreate,
    ProgrammePath,
    ProgrammeQuery,
    ProgrammeUpdate,
    SocietyCreate,
    SocietyPath,
    SocietyQuery,
    SocietyUpdate,
)
from shared.http.auth import allow
from shared.http.resources import idempotent


@create_route(PROGRAMMES)
@allow(*WRITERS)
@idempotent
def create_compatriot_programme(body: ProgrammeCreate):
    return create(PROGRAMMES, body)


@list_route(PROGRAMMES)
@allow(*READERS)
def list_compatriot_programme(query: ProgrammeQuery):
    return list_records(PROGRAMMES, query)


@read_route(PROGRAMMES)
@allow(*READERS)
def read_compatriot_programme(path: ProgrammePath):
    return read(PROGRAMMES, path.record_id)


@change_route(PROGRAMMES)
@allow(*WRITERS)
def change_compatriot_programme(path: ProgrammePath, body: ProgrammeUpdate):
    return change(PROGRAMMES, path.record_id, body)


@create_route(PARTICIPANTS)
@allow(*WRITERS)
@idempotent
def create_compatriot_participant(body: ParticipantCreate):
    return create(PARTICIPANTS, body)


@list_route(PARTICIPANTS)
@allow(*READERS)
def list_compatriot_participant(query: ParticipantQuery):
    return list_records(PARTICIPANTS, query)


@read_route(PARTICIPANTS)
@allow(*READERS)
def read_compatriot_participant(path: ParticipantPath):
    return read(PARTICIPANTS, path.record_id)


@change_route(PARTICIPANTS)
@allow(*WRITERS)
def change_compatriot_participant(path: ParticipantPath, body: ParticipantUpdate):
    return change(PARTICIPANTS, path.record_id, body)


@remove_route(PARTICIPANTS)
@allow(*WRITERS)
def remove_compatriot_participant(path: ParticipantPath):
    return remove(PARTICIPANTS, path.record_id)


@create_route(SOCIETIES)
@allow(*WRITERS)
@idempotent
def create_society(body: SocietyCreate):
    return create(SOCIETIES, body)


@list_route(SOCIETIES)
@allow(*READERS)
def list_society(query: SocietyQuery):
    return list_records(SOCIETIES, query)


@read_route(SOCIETIES)
@allow(*READERS)
def read_society(path: SocietyPath):
    return read(SOCIETIES, path.record_id)


@change_route(SOCIETIES)
@allow(*WRITERS)
def change_society(path: SocietyPath, body: SocietyUpdate):
    return change(SOCIETIES, path.record_id, body)
