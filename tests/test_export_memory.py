"""Exporting streams: peak memory stays flat when the database grows a hundredfold."""

import tracemalloc
from collections.abc import Callable

from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from app.models import Citation, Entity, Organization, Relationship, Source
from app.services.export import iter_dump_lines


def _fill(engine: Engine, groups: int) -> None:
    """``groups`` organizations in a ring of alliances, each fact cited twice."""
    with Session(engine) as session:
        session.execute(
            insert(Source),
            [
                {
                    "id": 1,
                    "slug": "s",
                    "title": "S",
                    "kind": "web",
                    "authors": [],
                    "extra": {},
                    "version": 1,
                }
            ],
        )
        session.execute(
            insert(Entity.__table__),
            [
                {
                    "id": n,
                    "kind": "organization",
                    "slug": f"group-{n}",
                    "name": f"Group {n}" * 3,
                    "description": "A synthetic group. " * 10,
                    "version": 1,
                }
                for n in range(1, groups + 1)
            ],
        )
        session.execute(insert(Organization.__table__), [{"id": n} for n in range(1, groups + 1)])
        session.execute(
            insert(Relationship.__table__),
            [
                {
                    "id": n,
                    "subject_id": n,
                    "object_id": n % groups + 1,
                    "type": "ally",
                    "status": "asserted",
                    "version": 1,
                    "date_text": "c. 2012/13 – 2015",
                }
                for n in range(1, groups + 1)
            ],
        )
        session.execute(
            insert(Citation.__table__),
            [
                {
                    "source_id": 1,
                    "relationship_id": n // 2 + 1,
                    "reference_number": 1,
                    "quote": "A sentence quoted from the article, long enough to weigh something.",
                }
                for n in range(2 * groups)
            ],
        )
        session.commit()


def _peak_bytes(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        tracemalloc.start()
        lines = sum(1 for _ in iter_dump_lines(session))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return lines, peak


def test_export_peak_memory_does_not_grow_with_the_database(
    new_database: Callable[[bool], Engine],
) -> None:
    # Peak memory is bounded by one streamed batch: it grows until a table outgrows a batch
    # (the seed's size is below that), then stays flat however large the database.
    peaks = {}
    for groups in (100, 1_000, 10_000):  # the seed's size, ten times it, a hundred times it
        engine = new_database(True)
        _fill(engine, groups)
        _peak_bytes(engine)  # the first run also fills one-time caches (compiled SQL, types)
        peaks[groups] = _peak_bytes(engine)
        engine.dispose()
    print(
        "\nexport peak memory: "
        + "; ".join(f"{lines} lines {peak / 1e6:.2f} MB" for lines, peak in peaks.values())
    )
    (seed_lines, _), (_, tenfold_peak), (large_lines, large_peak) = peaks.values()
    assert large_lines > 90 * seed_lines
    assert large_peak < 1.3 * tenfold_peak
    assert large_peak < 5_000_000
