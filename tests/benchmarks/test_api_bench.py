"""The benchmark: the API against a bare ASGI app serving the same bytes, in one run, with wrk.

Run with `scripts/bench [S|M|L]` (outside the default test run). It generates (or reuses) a
database of that size with `kb generate`, starts uvicorn with one worker, and prints medians of
three wrk runs and their ratios; the table is also written to test-reports/benchmark-SIZE.md.
"""

import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from app.config import Settings
from app.db import create_db_engine
from tests.live import ROOT, serve

pytestmark = pytest.mark.benchmark

SIZE = os.environ.get("KB_BENCH_SIZE", "S")
SECONDS = int(os.environ.get("KB_BENCH_SECONDS", "5"))
RUNS = 3
CONNECTIONS = 16
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


@dataclass
class Measure:
    rps: float
    p50_ms: float
    p99_ms: float


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(url: str, *, connections: int = CONNECTIONS, script: Path | None = None) -> Measure:
    """Medians of RUNS wrk runs against ``url``."""
    results = []
    for _ in range(RUNS):
        command = ["wrk", "-t2", f"-c{connections}", f"-d{SECONDS}s", "--timeout", "30s"]
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


def _database(size: str) -> str:
    path = ROOT / "var" / "bench" / f"{size}.sqlite3"
    url = f"sqlite:///{path}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "app.cli", "generate", size],
            env={**os.environ, "DATABASE_URL": url},
            check=True,
        )
        print(f"generated {size} in {time.monotonic() - started:.0f} s")
    return url


def _subject(url: str) -> tuple[str, str]:
    """The organization with about 40 relationships (and its slug), and a word of its name."""
    engine = create_db_engine(Settings(database_url=url))
    with engine.connect() as connection:
        slug, name = connection.execute(
            text(
                """SELECT e.slug, e.name FROM entities e
                JOIN (SELECT id, count(*) AS n FROM (
                    SELECT subject_id AS id FROM relationships
                    UNION ALL SELECT object_id FROM relationships) GROUP BY id) r ON r.id = e.id
                WHERE e.kind = 'organization' ORDER BY abs(r.n - 40), e.id LIMIT 1"""
            )
        ).one()
    engine.dispose()
    return slug, name.split()[0]


def test_benchmark(tmp_path: Path) -> None:
    if shutil.which("wrk") is None:
        pytest.fail("wrk is not installed (apt-get install wrk)")
    url = _database(SIZE)
    slug, word = _subject(url)
    profile = f"/organizations/{slug}"
    secret = subprocess.run(
        [sys.executable, "-m", "app.cli", "keys", "create", "bench", "--scope", "write"],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    rows: list[tuple[str, Measure, float | None]] = []
    body = tmp_path / "profile.json"
    with serve("app.asgi:app", {"DATABASE_URL": url}) as base:
        response = httpx.get(base + profile)
        body.write_bytes(response.content)
        size_kb = len(response.content) / 1024
    with serve("tests.benchmarks.bare:app", {"KB_BARE_BODY": str(body)}) as base:
        bare = wrk(base + profile)
    rows.append(("bare ASGI app, same bytes", bare, 1.0))
    script = tmp_path / "writes.lua"
    script.write_text(WRITE_EVERY_100.format(path=profile, key=secret))
    with serve("app.asgi:app", {"DATABASE_URL": url}) as base:
        warm = wrk(base + profile)
        rows.append(("profile, warm (response cache)", warm, warm.rps / bare.rps))
        mixed = wrk(base + profile, script=script)
        rows.append(("profile, warm, 1 write per 100 reads", mixed, mixed.rps / bare.rps))
    latency: list[tuple[str, Measure]] = []
    with serve("app.asgi:app", {"DATABASE_URL": url, "KB_RESPONSE_CACHE": "false"}) as base:
        cold = wrk(base + profile)
        rows.append(("profile, cold (no cache)", cold, cold.rps / bare.rps))
        for label, path in [
            ("profile", profile),
            ("filtered list", f"/relationships?entity={slug}&type=ally"),
            ("search", f"/search?q={word}"),
            ("network, depth 2", f"{profile}/network?depth=2"),
            ("timeline", f"{profile}/timeline"),
            ("as of 2014", f"/relationships?entity={slug}&as_of=2014"),
        ]:
            latency.append((label, wrk(base + path, connections=4)))
        started = time.monotonic()
        with httpx.stream("GET", base + "/export", timeout=600) as stream:
            exported = sum(1 for _ in stream.iter_lines())
        export_rate = exported / (time.monotonic() - started)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(
        [sys.executable, "-m", "app.cli", "export", os.devnull],
        env={**os.environ, "DATABASE_URL": url},
        check=True,
    )
    peak_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024

    lines = [
        f"Benchmark at size {SIZE} (SQLite), profile `{profile}` ({size_kb:.1f} KB), "
        f"uvicorn 1 worker, wrk -t2 -c{CONNECTIONS} -d{SECONDS}s, median of {RUNS} runs",
        "",
        "| what | requests/s | p50 ms | p99 ms | share of bare |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, measure, ratio in rows:
        share = f"{ratio:.3f}" if ratio is not None else ""
        lines.append(
            f"| {label} | {measure.rps:,.0f} | {measure.p50_ms:.2f} | {measure.p99_ms:.2f} "
            f"| {share} |"
        )
    lines += ["", "Latency without cache, 4 connections:", ""]
    lines += ["| endpoint | requests/s | p50 ms | p99 ms |", "| --- | ---: | ---: | ---: |"]
    for label, measure in latency:
        lines.append(
            f"| {label} | {measure.rps:,.0f} | {measure.p50_ms:.2f} | {measure.p99_ms:.2f} |"
        )
    lines += [
        "",
        f"Export: {exported:,} lines at {export_rate:,.0f} lines/s over HTTP; "
        f"`kb export` peak memory (max RSS of the children so far) {peak_mb:.0f} MB.",
    ]
    report = "\n".join(lines)
    print("\n" + report)
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / f"benchmark-{SIZE}.md").write_text(report + "\n")
    assert bare.rps > 0
    assert warm.rps > cold.rps  # the cache must pay for itself
