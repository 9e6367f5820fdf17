"""The benchmark: the API against a bare ASGI app serving the same bytes, and against Datasette.

Run with `scripts/bench [SIZE ...]` (outside the default test run; sizes S, M, L, default S L).
For each database (SQLite, and PostgreSQL when a server can be started) and each size it
generates the corpus once (kept in var/bench), starts uvicorn with one worker, and measures with
wrk: medians of three runs, ratios against baselines measured in the same run. The tables are
printed and kept in test-reports/benchmark.md.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import create_engine, text

from app.config import Settings
from app.db import create_db_engine
from tests.live import ROOT, free_port, serve
from tests.postgres import PostgresUnavailable, start_server

pytestmark = pytest.mark.benchmark

# The API is measured with its default worker threads (the servers started below inherit the
# environment, so a KB_WORKER_THREADS set there is measured instead).
SIZES = os.environ.get("KB_BENCH_SIZES", "S L").split()
DATABASES = os.environ.get("KB_BENCH_DATABASES", "sqlite postgresql").split()
SECONDS = int(os.environ.get("KB_BENCH_SECONDS", "5"))
RUNS = 3
CONNECTIONS = 16
# Latency is measured for one client at a time, then for four at once: one process runs the
# requests' Python one at a time, so four clients wait about four times as long.
LATENCY_CONNECTIONS = (1, 4)
# The API's own stack doing no work (tests/benchmarks/floor.py): as fast as a read without the
# cache could be here, however its body were built.
FLOORS = (
    ("the API's stack, same bytes (no query)", "/floor/bytes"),
    ("the API's stack, one SELECT 1, same bytes", "/floor/query"),
)
BENCH = ROOT / "var" / "bench"
REPORTS = ROOT / "test-reports"
WRITE_EVERY_100 = """
counter = 0
request = function()
  counter = counter + 1
  if counter % 100 == 0 then
    return wrk.format("PATCH", "{path}", {{["Content-Type"] = "application/json",
      ["If-Match"] = "*", ["Authorization"] = "Bearer {key}"}},
      '{{"description": "benchmark write ' .. counter .. '"}}')
  end
  return wrk.format("GET", "{path}")
end
"""
# `kb ARGS`, then the peak memory (KB) of the process that ran it: VmHWM, not ru_maxrss, which
# Linux carries over exec from the forking parent (the benchmark itself, hundreds of MB).
PEAK_MEMORY = (
    "import re, sys; from app.cli import main; code = main(sys.argv[1:]); "
    "status = open('/proc/self/status').read(); "
    "print(re.search(r'VmHWM:\\s+(\\d+)', status).group(1)); sys.exit(code)"
)
# One group's relationships with the names of the other side: a question Datasette can answer.
PEER_SQL = """
SELECT r.id, r.type, r.status, r.date_text, s.name AS subject, o.name AS object
FROM relationships r JOIN entities s ON s.id = r.subject_id JOIN entities o ON o.id = r.object_id
WHERE r.subject_id = :id OR r.object_id = :id ORDER BY r.id LIMIT 50
"""


@dataclass
class Measure:
    rps: float
    p50_ms: float
    p99_ms: float


@dataclass
class Run:
    """What one database at one size measured."""

    database: str
    size: str
    subject: str
    profile_kb: float
    throughput: list[tuple[str, Measure, float]] = field(default_factory=list)
    latency: dict[int, dict[str, Measure]] = field(default_factory=dict)  # by connections
    export_rows: int = 0
    export_http_rps: float = 0.0
    export_cli_rps: float = 0.0
    export_peak_mb: float = 0.0
    peer: list[tuple[str, Measure]] = field(default_factory=list)


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(url: str, *, connections: int = CONNECTIONS, script: Path | None = None) -> Measure:
    """Medians of RUNS wrk runs against ``url``."""
    results = []
    for _ in range(RUNS):
        threads = min(2, connections)  # wrk needs a connection per thread
        command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{SECONDS}s", "--timeout", "30s"]
        command += ["--latency", url]
        if script:
            command[1:1] = ["-s", str(script)]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
        p50 = _ms(re.search(r"^\s+50%\s+(\S+)\s*$", out, re.M).group(1))  # type: ignore[union-attr]
        p99 = _ms(re.search(r"^\s+99%\s+(\S+)\s*$", out, re.M).group(1))  # type: ignore[union-attr]
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        assert errors is None, f"{url}: {errors.group(0)}\n{out}"
        results.append(Measure(rps, p50, p99))
    return Measure(
        statistics.median(r.rps for r in results),
        statistics.median(r.p50_ms for r in results),
        statistics.median(r.p99_ms for r in results),
    )


def _kb(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    )


@contextmanager
def database(kind: str, size: str) -> Iterator[str]:
    """The URL of a database of ``size`` on ``kind``, generated on first use and kept."""
    if kind == "sqlite":
        path = BENCH / f"{size}.sqlite3"
        url = f"sqlite:///{path}"
        if path.exists():
            _kb(url, "migrate")  # a database kept from an earlier run, to this schema
        else:
            BENCH.mkdir(parents=True, exist_ok=True)
            _generate(url, size)
        yield url
        return
    try:
        server = start_server(BENCH / f"pg-{size}")
    except PostgresUnavailable as error:
        pytest.fail(f"PostgreSQL could not be started for the benchmark: {error}")
    try:
        admin = create_engine(server.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = 'kb'"))
            fresh = exists.first() is None
            if fresh:
                connection.execute(text("CREATE DATABASE kb"))
        admin.dispose()
        url = server.url("kb")
        if fresh:
            _generate(url, size)
        else:
            _kb(url, "migrate")  # a database kept from an earlier run, to this schema
        yield url
    finally:
        server.halt()


def _generate(url: str, size: str) -> None:
    started = time.monotonic()
    _kb(url, "generate", size)
    print(f"generated {size} at {url.split(':')[0]} in {time.monotonic() - started:.0f} s")


def _subject(url: str) -> tuple[int, str, str]:
    """The organization closest to 40 relationships and 80 citations: id, slug, a name word."""
    engine = create_db_engine(Settings(database_url=url))
    with engine.connect() as connection:
        entity_id, slug, name = connection.execute(
            text(
                """WITH degree AS (
                    SELECT id, count(*) AS n FROM (
                        SELECT subject_id AS id FROM relationships
                        UNION ALL SELECT object_id FROM relationships) AS ends
                    GROUP BY id),
                near AS (
                    SELECT e.id, e.slug, e.name FROM entities e JOIN degree d ON d.id = e.id
                    WHERE e.kind = 'organization' ORDER BY abs(d.n - 40), e.id LIMIT 50)
                SELECT near.id, near.slug, near.name FROM near
                ORDER BY abs((SELECT count(*) FROM citations c JOIN relationships r
                    ON c.relationship_id = r.id
                    WHERE r.subject_id = near.id OR r.object_id = near.id) - 80), near.id
                LIMIT 1"""
            )
        ).one()
    engine.dispose()
    return entity_id, slug, name.split()[0]


def _export(url: str, base: str, run: Run) -> None:
    started = time.monotonic()
    with httpx.stream("GET", base + "/export", timeout=3600) as stream:
        run.export_rows = sum(chunk.count(b"\n") for chunk in stream.iter_bytes())
    run.export_http_rps = run.export_rows / (time.monotonic() - started)
    started = time.monotonic()
    peak_kb = subprocess.run(
        [sys.executable, "-c", PEAK_MEMORY, "export", os.devnull],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]
    run.export_cli_rps = run.export_rows / (time.monotonic() - started)
    run.export_peak_mb = int(peak_kb) / 1024


@contextmanager
def datasette(url: str) -> Iterator[str]:
    """Datasette serving the same SQLite file, read-only and immutable (its fastest mode)."""
    port = free_port()
    path = url.removeprefix("sqlite:///")
    command = [sys.executable, "-m", "datasette", "serve", "-i", path, "--port", str(port)]
    command += ["--setting", "sql_time_limit_ms", "30000"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, "datasette stopped"
            assert time.monotonic() < deadline, "datasette did not start in time"
            time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def measure(kind: str, size: str, tmp_path: Path) -> Run:
    with database(kind, size) as url:
        entity_id, slug, word = _subject(url)
        profile = f"/organizations/{slug}"
        secret = _kb(url, "keys", "create", "bench", "--scope", "write").stdout.strip()
        body = tmp_path / f"profile-{kind}-{size}.json"
        with serve("app.asgi:app", {"DATABASE_URL": url}) as base:
            body.write_bytes(httpx.get(base + profile).content)
        run = Run(kind, size, slug, len(body.read_bytes()) / 1024)
        with serve("tests.benchmarks.bare:app", {"KB_BARE_BODY": str(body)}) as base:
            bare = wrk(base + profile)
        run.throughput.append(("bare ASGI app, same bytes", bare, 1.0))
        script = tmp_path / "writes.lua"
        script.write_text(WRITE_EVERY_100.format(path=profile, key=secret))
        peer_path = f"/relationships?{urlencode({'entity': slug, 'limit': 50})}"
        with serve("app.asgi:app", {"DATABASE_URL": url}) as base:
            warm = wrk(base + profile)
            run.throughput.append(("profile, warm (response cache)", warm, warm.rps / bare.rps))
            mixed = wrk(base + profile, script=script)
            run.throughput.append(("warm, 1 write per 100 reads", mixed, mixed.rps / bare.rps))
            if kind == "sqlite":
                run.peer.append(("this API, warm", wrk(base + peer_path)))
        with serve("app.asgi:app", {"DATABASE_URL": url, "KB_RESPONSE_CACHE": "false"}) as base:
            cold = wrk(base + profile)
            run.throughput.append(("profile, cold (no cache)", cold, cold.rps / bare.rps))
            for connections in LATENCY_CONNECTIONS:
                run.latency[connections] = {
                    label: wrk(base + path, connections=connections)
                    for label, path in [
                        ("profile", profile),
                        ("filtered list", f"/relationships?entity={slug}&type=ally"),
                        ("search", f"/search?q={word}"),
                        ("network, depth 2", f"{profile}/network?depth=2"),
                        ("timeline", f"{profile}/timeline"),
                        ("as of 2014", f"/relationships?entity={slug}&as_of=2014"),
                        ("organizations, newest first", "/organizations?sort=-created_at"),
                        ("every tie as of 2014", "/relationships?as_of=2014"),
                        ("facts with a reference", "/facts?evidence=referenced"),
                        ("organizations by name", f"/organizations?name={word}"),
                        ("sources by title", f"/sources?title={word}"),
                    ]
                }
            if kind == "sqlite":
                run.peer.append(("this API, cold", wrk(base + peer_path)))
            _export(url, base, run)
        floor = {"DATABASE_URL": url, "KB_BARE_BODY": str(body)}
        with serve("tests.benchmarks.floor:app", floor) as base:
            for label, path in FLOORS:
                measured = wrk(base + path)
                run.throughput.append((label, measured, measured.rps / bare.rps))
        if kind == "sqlite":
            sql = " ".join(PEER_SQL.split())
            query = urlencode({"sql": sql, "id": entity_id, "_shape": "array"})
            with datasette(url) as base:
                name = Path(url).stem
                assert len(httpx.get(f"{base}/{name}.json?{query}").json()) > 0
                run.peer.append(("Datasette, same SQLite file", wrk(f"{base}/{name}.json?{query}")))
    return run


def report(runs: list[Run]) -> str:
    lines = [
        f"Profile throughput: uvicorn 1 worker, wrk -t2 -c{CONNECTIONS} -d{SECONDS}s, "
        f"median of {RUNS} runs; share of the bare app measured in the same run.",
        "",
        "| database | size | profile | what | requests/s | p50 ms | p99 ms | share of bare |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        for label, m, share in run.throughput:
            lines.append(
                f"| {run.database} | {run.size} | `{run.subject}` {run.profile_kb:.1f} KB "
                f"| {label} | {m.rps:,.0f} | {m.p50_ms:.2f} | {m.p99_ms:.2f} | {share:.3f} |"
            )
    for connections in LATENCY_CONNECTIONS:
        lines += _latency_table(runs, connections)
    lines += [
        "",
        "Export (JSON Lines dump of the whole database):",
        "",
        "| database | size | rows | rows/s over HTTP | rows/s `kb export` | peak memory MB |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        lines.append(
            f"| {run.database} | {run.size} | {run.export_rows:,} | {run.export_http_rps:,.0f} "
            f"| {run.export_cli_rps:,.0f} | {run.export_peak_mb:.0f} |"
        )
    peers = [run for run in runs if run.peer]
    if peers:
        lines += [
            "",
            f"A peer on the same SQLite file: one group's relationships with the names of the "
            f"other side (50 rows), wrk -c{CONNECTIONS}.",
            "",
            "| size | server | requests/s | p50 ms | p99 ms |",
            "| --- | --- | ---: | ---: | ---: |",
        ]
        for run in peers:
            for label, m in run.peer:
                lines.append(
                    f"| {run.size} | {label} | {m.rps:,.0f} | {m.p50_ms:.2f} | {m.p99_ms:.2f} |"
                )
    return "\n".join(lines)


def _latency_table(runs: list[Run], connections: int) -> list[str]:
    clients = "one client at a time" if connections == 1 else f"{connections} clients at once"
    lines = [
        "",
        f"Latency without the cache, {clients} (wrk -c{connections}): p50 / p99 in ms, "
        "and p99 at the largest size over p99 at the smallest.",
        "",
    ]
    databases = list(dict.fromkeys(run.database for run in runs))
    sizes = list(dict.fromkeys(run.size for run in runs))
    header = ["endpoint"]
    for kind in databases:
        header += [f"{kind} {size}" for size in sizes]
        if len(sizes) > 1:
            header.append(f"{kind} p99 {sizes[-1]}/{sizes[0]}")
    lines += ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    by_key = {(run.database, run.size): run.latency[connections] for run in runs}
    for label in runs[0].latency[connections]:
        cells = [label]
        for kind in databases:
            for size in sizes:
                measured = by_key.get((kind, size))
                m = measured[label] if measured else None
                cells.append(f"{m.p50_ms:.1f} / {m.p99_ms:.1f}" if m else "")
            if len(sizes) > 1:
                ends = [by_key.get((kind, size)) for size in (sizes[0], sizes[-1])]
                first, last = (measured[label].p99_ms if measured else 0.0 for measured in ends)
                cells.append(f"{last / first:.2f}" if first and last else "")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def test_benchmark(tmp_path: Path) -> None:
    if shutil.which("wrk") is None:
        pytest.fail("wrk is not installed (apt-get install wrk)")
    runs = []
    for kind in DATABASES:
        for size in SIZES:
            runs.append(measure(kind, size, tmp_path))
            print("\n" + report(runs))  # what is measured so far, should a later step fail
    table = report(runs)
    print("\n" + table)
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "benchmark.md").write_text(table + "\n")
    for run in runs:
        shares = {label: share for label, _, share in run.throughput}
        assert shares["profile, warm (response cache)"] > shares["profile, cold (no cache)"]
        bytes_only, one_query = (shares[label] for label, _ in FLOORS)
        assert bytes_only > one_query > shares["profile, cold (no cache)"]
