"""``column IN (ids)`` as one statement, however many ids there are.

SQLAlchemy writes an expanding IN with a parameter per id, so each number of ids makes a
statement of its own: compiled again by SQLAlchemy, prepared again by SQLite, planned again by
PostgreSQL, on every request. ``in_ids(column, name)`` takes the ids as one parameter instead:
an integer array on PostgreSQL (``= ANY``), which psycopg then prepares once; a JSON array on
SQLite (``IN (SELECT value FROM json_each(…))``), which the driver's statement cache keeps.
"""

from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TypeVar

import orjson
from sqlalchemy import Boolean, Integer, String, bindparam, inspect, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator, TypeEngine


class IdList(TypeDecorator[Iterable[int]]):
    """Ids bound as one value: an integer array on PostgreSQL, a JSON array elsewhere."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.ARRAY(Integer()))
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: Iterable[int] | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        ids = [int(id_) for id_ in value]
        if dialect.name == "postgresql":
            return ids
        # Bound once per place the parameter appears (a hop of the network names its frontier
        # in each type's arm): orjson writes a list of 40 ids in 6 µs, json.dumps in 15.
        return orjson.dumps(ids).decode()


class _InIds(FunctionElement[bool]):
    type = Boolean()
    inherit_cache = True
    name = "in_ids"
    _is_implicitly_boolean = (
        True  # a condition as it is, not compared with 1 where booleans are not native
    )


@compiles(_InIds)
def _in_json_array(element: _InIds, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"{column} IN (SELECT value FROM json_each({ids}))"


@compiles(_InIds, "postgresql")
def _any_of_array(element: _InIds, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"{column} = ANY({ids})"


def in_ids(
    column: ColumnElement[int] | QueryableAttribute[int],
    name: str,
    ids: Iterable[int] | None = None,
) -> ColumnElement[bool]:
    """``column`` is one of the ids passed as the parameter ``name`` (any iterable of ints),
    or bound here as ``ids``."""
    return _InIds(column, bindparam(name, ids, type_=IdList()))


class _HasId(Protocol):
    @property
    def id(self) -> int: ...


Row = TypeVar("Row", bound=_HasId)


def read_by_id(session: Session, model: type[Row], ids: Sequence[int]) -> list[Row]:
    """The rows of ``model`` with these ids, in their order: one statement, none for no ids."""
    if not ids:
        return []
    (identity,) = inspect(model).primary_key
    by_id = {
        row.id: row for row in session.scalars(select(model).where(in_ids(identity, "page", ids)))
    }
    return [by_id[id_] for id_ in ids]
