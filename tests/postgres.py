"""A throw-away PostgreSQL server for the test run: initdb into a temporary folder, start, stop."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries could be found or started on this machine."""


@dataclass
class PostgresServer:
    """A running server: where it lives and how to reach it."""

    bindir: Path
    datadir: Path
    port: int
    run_as: str | None

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        """Start (or restart) the server, waiting until it accepts connections."""
        root = self.datadir.parent
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={root} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200"
        )
        # -l sends the server's output to a file: a pipe left open would block our wait.
        _run(
            self,
            [
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.datadir),
                "-w",
                "-t",
                "60",
                "-l",
                str(root / "server.log"),
                "-o",
                options,
                "start",
            ],
        )
        _wait_until_accepting(self.port)

    def halt(self) -> None:
        """Stop the server, keeping its data (to simulate an outage)."""
        _run(
            self, [str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-w", "stop", "-m", "fast"]
        )

    def stop(self) -> None:
        """Stop the server and remove its data."""
        self.halt()
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def find_bindir() -> Path:
    """Where initdb and pg_ctl live: PG_BINDIR, Debian's versioned folder, or the PATH."""
    candidates = [os.environ.get("PG_BINDIR", "")]
    candidates += sorted((str(p) for p in Path("/usr/lib/postgresql").glob("*/bin")), reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).resolve().parent))
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    raise PostgresUnavailable("no initdb found (install PostgreSQL or set PG_BINDIR)")


def start_server(root: Path | None = None) -> PostgresServer:
    """Start a server on a free loopback port; raise PostgresUnavailable if it cannot be.

    In a new temporary folder by default; in ``root`` when given, keeping the data there from one
    run to the next (the benchmark's generated databases).
    """
    bindir = find_bindir()
    run_as = "postgres" if os.geteuid() == 0 else None  # initdb refuses to run as root
    if root is None:
        root = Path(tempfile.mkdtemp(prefix="kb-pg-"))
    root = root.resolve()  # the server runs from /
    root.mkdir(parents=True, exist_ok=True)
    datadir = root / "data"
    if run_as:
        shutil.chown(root, user=run_as)
    server = PostgresServer(bindir=bindir, datadir=datadir, port=_free_port(), run_as=run_as)
    if (datadir / "PG_VERSION").exists():
        server.start()
        return server
    try:
        _run(
            server,
            [
                str(bindir / "initdb"),
                "-D",
                str(datadir),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
        )
        server.start()
    except (OSError, subprocess.CalledProcessError) as error:
        log = root / "server.log"
        detail = log.read_text()[-2000:] if log.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise PostgresUnavailable(f"PostgreSQL did not start: {error}\n{detail}") from error
    return server


def _run(server: PostgresServer, command: list[str]) -> None:
    if server.run_as:
        command = ["runuser", "-u", server.run_as, "--", *command]
    subprocess.run(command, check=True, capture_output=True, text=True, cwd="/")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_accepting(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise PostgresUnavailable(f"PostgreSQL did not accept connections on port {port}")
