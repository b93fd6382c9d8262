"""The contracts database: the plumbing tables now, its domain tables with its domain issue."""

from sqlalchemy.orm import DeclarativeBase

from shared.db import PlumbingTables


class Base(DeclarativeBase):
    pass


plumbing = PlumbingTables(Base.metadata)
