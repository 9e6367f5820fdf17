"""A real server for the tests that need one: uvicorn in its own process, on a free port."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import Engine

ROOT = Path(__file__).resolve().parent.parent
UNLIMITED = {  # the fuzzer and the load tests are one address sending thousands of requests
    "KB_RATE_LIMIT_PER_MINUTE": "100000000",
    "KB_RATE_LIMIT_BURST": "100000000",
    "KB_KEY_RATE_LIMIT_PER_MINUTE": "100000000",
    "KB_KEY_RATE_LIMIT_BURST": "100000000",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@contextmanager
def serve(app: str, env: dict[str, str], *, workers: int = 1) -> Iterator[str]:
    """Run the ASGI ``app`` ("module:attribute") with uvicorn until the block ends; its base URL.

    Rate limits are lifted (one address sends thousands of requests); ``env`` adds to the
    environment. Ready when ``/readyz`` answers 200 (the bare benchmark app answers anything).
    """
    port = free_port()
    environment = {**os.environ, **UNLIMITED, "KB_SEED_ON_EMPTY": "false", **env}
    command = [sys.executable, "-m", "uvicorn", app, "--port", str(port)]
    command += ["--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    server = subprocess.Popen(command, cwd=ROOT, env=environment)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start (exit code {server.poll()})")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


@contextmanager
def live_server(
    engine: Engine, *, workers: int = 1, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Serve the database behind ``engine`` with the API until the block ends; its base URL."""
    settings = {"DATABASE_URL": database_url(engine), **(env or {})}
    with serve("app.asgi:app", settings, workers=workers) as base:
        yield base
