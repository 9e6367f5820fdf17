"""A response cache in front of the framework, invalidated by any write in any process.

Reads are answered from memory as long as the database has not changed since the response was
made. Whether it has is checked on every cached read, cheaply and without waiting, so that a
write in one worker is never followed by a stale read in another:

- SQLite: ``PRAGMA data_version`` on a connection of the cache's own, which changes whenever
  another connection (in this process or another) commits.
- PostgreSQL: the single row of ``data_version``, bumped by a statement-level trigger on every
  table that holds data, which also sends a notification on commit (migrations 0004 and 0006).
  The cache LISTENs on a connection of its own and reads the row again only when it has been
  notified, so a read costs a non-blocking look at that connection's socket, not a round trip.
  A notification reaches the other workers a moment after the commit; so that a client reading
  from another worker straight after its write cannot slip into that moment, the worker that
  served the write records the new version in a small file shared by the workers on its host
  (``_HostFloor``) before it answers, and a worker that finds the file ahead of what it was
  told asks the database. Writes from elsewhere (the CLI, another host) are seen once their
  notification arrives, normally within a millisecond.

The cache sits in front of the whole application (app/main.py), so that a hit costs no more than
a dictionary lookup and the version check. What the layers behind it would do still holds: it
keeps the responses they made, CORS headers included, per ``Origin``; it spends the client's
rate-limit token from the limiter they share, and leaves a refused request to them (the 429);
it answers ``If-None-Match`` itself; it is off when reads need a key, for requests presenting
one, and for streamed exports.
"""

import asyncio
import fcntl
import hashlib
import os
import sqlite3
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import psycopg
from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.limits import EXEMPT_PREFIXES, RateLimiter, address_bucket

Key = tuple[bytes, ...]
UNCACHED_PREFIXES = ("/export", "/healthz", "/readyz", "/keys", "/docs", "/redoc")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
MAX_BODY = 1_000_000  # larger responses are not kept
CHANNEL = "kb_data_version"  # notified by the trigger of migration 0006


class Version(Protocol):
    """The database's data version as this process can know it; -1 when it cannot."""

    def __call__(self) -> int: ...

    def wrote(self) -> None:
        """Called after this process served a request that may have changed data."""


def data_version(engine: Engine) -> Version | None:
    """A function giving the database's current version, or None where there is none."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            return None
        return _SqliteVersion(url.database)
    if url.get_backend_name() == "postgresql":
        return _PostgresVersion(url.set(drivername="postgresql").render_as_string(False))
    return None


class _SqliteVersion:
    def __init__(self, path: str) -> None:
        self.connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.lock = threading.Lock()

    def __call__(self) -> int:
        with self.lock:
            return int(self.connection.execute("PRAGMA data_version").fetchone()[0])

    def wrote(self) -> None:
        """Nothing to do: ``PRAGMA data_version`` already tells every connection."""


class _HostFloor:
    """The newest data version a worker on this host has written, in a file they all share."""

    def __init__(self, url: str) -> None:
        name = hashlib.sha256(url.encode()).hexdigest()[:16]
        path = Path(tempfile.gettempdir()) / f"kb-data-version-{name}"
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)

    def read(self) -> int:
        fcntl.flock(self.fd, fcntl.LOCK_SH)
        try:
            data = os.pread(self.fd, 8, 0)
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        return int.from_bytes(data, "little") if len(data) == 8 else 0

    def raise_to(self, n: int) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        try:
            data = os.pread(self.fd, 8, 0)
            if len(data) < 8 or int.from_bytes(data, "little") < n:
                os.pwrite(self.fd, n.to_bytes(8, "little"), 0)
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_UN)


class _PostgresVersion:
    def __init__(self, url: str) -> None:
        self.url = url
        self.floor = _HostFloor(url)
        self.connection: psycopg.Connection[Any] | None = None
        self.lock = threading.Lock()
        self.known = -1  # the version last read from the database
        self.notified = True  # a change was notified since: read it again

    def __call__(self) -> int:
        with self.lock:
            try:
                connection = self._listening()
                connection.pgconn.consume_input()  # what has arrived; never waits
                while connection.pgconn.notifies() is not None:
                    self.notified = True
                if self.notified or self.known < self.floor.read():
                    self._read(connection)
            except psycopg.Error:
                self.connection = None
                return -1  # unknown: nothing cached is served, nothing new is kept
            return self.known

    def wrote(self) -> None:
        with self.lock:
            try:
                self._read(self._listening())
            except psycopg.Error:
                self.connection = None
                return
            self.floor.raise_to(self.known)

    def _listening(self) -> psycopg.Connection[Any]:
        if self.connection is None or self.connection.closed:
            connection = psycopg.connect(self.url, autocommit=True, connect_timeout=5)
            connection.add_notify_handler(self._heard)  # those arriving during a query
            connection.execute(f"LISTEN {CHANNEL}")
            self.connection, self.notified = connection, True
        return self.connection

    def _heard(self, _: psycopg.Notify) -> None:
        self.notified = True

    def _read(self, connection: psycopg.Connection[Any]) -> None:
        self.notified = False  # before reading: a change committed meanwhile notifies again
        row = connection.execute("SELECT n FROM data_version").fetchone()
        self.known = max(self.known, int(row[0])) if row else -1


@dataclass
class Entry:
    version: int
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes | None


class ResponseCache:
    """ASGI middleware: GET responses kept until the data version moves."""

    def __init__(
        self, app: ASGIApp, settings: Settings, version: Version, limiter: RateLimiter
    ) -> None:
        self.app = app
        self.settings = settings
        self.version = version
        self.limiter = limiter
        self.entries: OrderedDict[Key, Entry] = OrderedDict()
        self.filling: dict[Key, tuple[int, asyncio.Future[Entry | None]]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
            await self.app(scope, receive, self._telling_of_writes(send))
            return
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if b"authorization" in headers or b"x-api-key" in headers:
            await self.app(scope, receive, send)  # a key is checked, even on a read
            return
        key = (
            scope["path"].encode(),
            scope["query_string"],
            headers.get(b"accept", b""),
            headers.get(b"origin", b""),
        )
        version = self.version()
        entry = self.entries.get(key)
        if entry is None or entry.version != version:
            entry = await self._made_by_another(key, version)
        if entry is not None and entry.version == version and version >= 0 and self._admit(scope):
            self.entries.move_to_end(key)
            await self._replay(entry, headers.get(b"if-none-match"), send)
            return
        await self._fill(scope, receive, send, key, version)

    def _telling_of_writes(self, send: Send) -> Send:
        """``send``, made to record a write before its response leaves (the change is committed
        by then: app/api/deps.py), so that no worker can answer the client's next read from
        before it."""

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                await asyncio.to_thread(self.version.wrote)
            await send(message)

        return sending

    def _cacheable(self, scope: Scope) -> bool:
        return (
            self.settings.response_cache
            and not self.settings.require_key_for_reads
            and scope["type"] == "http"
            and scope["method"] == "GET"
            and not scope["path"].startswith(UNCACHED_PREFIXES)
        )

    async def _made_by_another(self, key: Key, version: int) -> Entry | None:
        """The response another request is making for the same key at the same version, if any.

        After a write every reader misses at once; waiting for the one making the response
        costs far less than making it again in each of them.
        """
        pending = self.filling.get(key)
        if pending is None or pending[0] != version:
            return None
        return await asyncio.shield(pending[1])

    def _admit(self, scope: Scope) -> bool:
        """Spend the client's rate-limit token; False (nothing spent) when it has none left."""
        if scope["path"].startswith(EXEMPT_PREFIXES):
            return True
        settings = self.settings
        bucket = address_bucket(scope)
        return not self.limiter.take(
            bucket, settings.rate_limit_per_minute, settings.rate_limit_burst
        )

    async def _replay(self, entry: Entry, if_none_match: bytes | None, send: Send) -> None:
        if entry.etag is not None and if_none_match is not None:
            wanted = {tag.strip() for tag in if_none_match.split(b",")}
            if entry.etag in wanted or b"*" in wanted:
                kept = [(k, v) for k, v in entry.headers if _kept_on_304(k)]
                await send({"type": "http.response.start", "status": 304, "headers": kept})
                await send({"type": "http.response.body", "body": b""})
                return
        await send(
            {
                "type": "http.response.start",
                "status": entry.status,
                "headers": [*entry.headers, (b"x-cache", b"hit")],
            }
        )
        await send({"type": "http.response.body", "body": entry.body})

    async def _fill(
        self, scope: Scope, receive: Receive, send: Send, key: Key, version: int
    ) -> None:
        if version < 0 or key in self.filling:
            await self._make(scope, receive, send, key, version)
            return
        made: asyncio.Future[Entry | None] = asyncio.get_running_loop().create_future()
        self.filling[key] = (version, made)
        try:
            await self._make(scope, receive, send, key, version)
        finally:
            del self.filling[key]
            entry = self.entries.get(key)
            made.set_result(entry if entry is not None and entry.version == version else None)

    async def _make(
        self, scope: Scope, receive: Receive, send: Send, key: Key, version: int
    ) -> None:
        start: Message = {}
        chunks: list[bytes] = []
        size = 0
        keep = version >= 0

        async def recording_send(message: Message) -> None:
            nonlocal keep, size
            if message["type"] == "http.response.start":
                start.update(message)
                keep = keep and message["status"] == 200
            elif message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                keep = size <= MAX_BODY
            await send(message)

        await self.app(scope, receive, recording_send)
        if keep and start:
            headers = list(start.get("headers", []))
            etag = next((value for name, value in headers if name == b"etag"), None)
            self.entries[key] = Entry(version, start["status"], headers, b"".join(chunks), etag)
            self.entries.move_to_end(key)
            while len(self.entries) > self.settings.response_cache_entries:
                self.entries.popitem(last=False)


def _kept_on_304(name: bytes) -> bool:
    """The headers a 304 repeats: the validators and, for a page of another origin, CORS."""
    return name in (b"etag", b"cache-control", b"vary") or name.startswith(b"access-control-")
