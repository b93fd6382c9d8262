"""Rows held for a set insert (decision 0200): one statement per table, seen by the reads that would have seen
flushed objects, gone with a rollback."""

from sqlalchemy import Integer, String, create_engine, event, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from shared.set_inserts import insert_held_rows, insert_in_set


class Base(DeclarativeBase):
    pass


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    text: Mapped[str] = mapped_column(String(20))


class Other(Base):
    __tablename__ = "others"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)


def session_counting_inserts() -> tuple[Session, list[str]]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    inserts: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _cursor, statement, *_: inserts.append(statement)
                 if statement.startswith("INSERT") else None)
    return Session(engine), inserts


def notes(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Note))


def test_the_rows_of_a_table_are_inserted_in_one_statement_at_commit():
    session, inserts = session_counting_inserts()
    with session.begin():
        for number in range(30):
            insert_in_set(session, Note, {"text": f"note {number}"})
        assert inserts == []
    assert len(inserts) == 1 and notes(session) == 30


def test_a_read_of_the_table_sees_the_held_rows_and_a_read_of_another_table_leaves_them_held():
    session, inserts = session_counting_inserts()
    with session.begin():
        insert_in_set(session, Note, {"text": "one"})
        session.execute(select(Other)).all()
        assert inserts == []
        with session.no_autoflush:
            assert notes(session) == 0
        assert notes(session) == 1
        insert_in_set(session, Note, {"text": "two"})
        insert_held_rows(session)
        assert notes(session) == 2 and len(inserts) == 2


def test_a_rolled_back_transaction_inserts_nothing_later():
    session, inserts = session_counting_inserts()
    with session.begin():
        insert_in_set(session, Note, {"text": "lost"})
        session.rollback()
    with session.begin():
        insert_in_set(session, Note, {"text": "kept"})
    assert [text for (text,) in session.execute(select(Note.text))] == ["kept"] and len(inserts) == 1
