"""``in_ids``: one statement for any number of ids, the same rows as an IN list."""

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session, sessionmaker

from app.models import Source
from app.services.id_lists import in_ids
from tests.factories import add_source

WANTED = select(Source.id).where(in_ids(Source.id, "ids")).order_by(Source.id)


def test_in_ids_finds_exactly_the_ids_given(
    connection: Connection, session_factory: sessionmaker[Session]
) -> None:
    with session_factory() as session:
        made = [add_source(session, f"Report {n}").id for n in range(30)]
        session.commit()
    for ids in ([], made[:1], made[::3], [*made, -1, 10**9], list(range(-500, 0))):
        found = connection.execute(WANTED, {"ids": ids}).scalars().all()
        assert found == sorted(set(ids) & set(made)), ids
    assert connection.execute(WANTED, {"ids": iter(made[:2])}).scalars().all() == made[:2]


def test_in_ids_is_one_statement_whatever_the_number_of_ids(connection: Connection) -> None:
    sent = {
        connection.execute(WANTED, {"ids": ids}).context.statement
        for ids in ([1], [1, 2, 3], list(range(100)))
    }
    assert len(sent) == 1, sent
