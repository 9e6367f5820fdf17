"""Limits on what a client controls, enforced before a request reaches the routers.

An ASGI middleware: body size (counted as it arrives, so chunked bodies without Content-Length
are capped too), JSON nesting depth, request time, and a token-bucket rate limit per client
address. Each limit is a setting (app/config.py) and each refusal is a problem+json response.
"""

import asyncio
import json
import logging
import math
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.errors import PROBLEM_MEDIA_TYPE

logger = logging.getLogger(__name__)

EXEMPT_PREFIXES = ("/healthz", "/readyz", "/static-offline-docs")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class BodyTooLarge(Exception):
    """The request body grew past the limit while arriving."""


@dataclass
class Bucket:
    """A token bucket: ``tokens`` left, refilled continuously since ``stamp``."""

    tokens: float
    stamp: float


class RateLimiter:
    """Token buckets per client, in this process; the oldest idle clients are forgotten first."""

    def __init__(self, max_clients: int = 10_000) -> None:
        self.buckets: OrderedDict[str, Bucket] = OrderedDict()
        self.max_clients = max_clients

    def take(self, client: str, per_minute: int, burst: int) -> float:
        """Spend one token; 0 when allowed, else the seconds until a token is available."""
        now = time.monotonic()
        rate = per_minute / 60
        bucket = self.buckets.pop(client, None) or Bucket(tokens=burst, stamp=now)
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.stamp) * rate)
        bucket.stamp = now
        self.buckets[client] = bucket
        if len(self.buckets) > self.max_clients:
            self.buckets.popitem(last=False)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / rate


def json_depth(body: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text (strings are skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


class LimitsMiddleware:
    """Refuses what is too large, too deep, too slow or too frequent, before any work is done."""

    def __init__(self, app: ASGIApp, settings: Settings, limiter: RateLimiter) -> None:
        self.app = app
        self.settings = settings
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        settings = self.settings
        buckets = [
            (
                address_bucket(scope),
                settings.rate_limit_per_minute,
                settings.rate_limit_burst,
                "address",
            )
        ]
        key = _key_prefix(scope)
        if key is not None:
            buckets.append(
                (
                    f"key:{key}",
                    settings.key_rate_limit_per_minute,
                    settings.key_rate_limit_burst,
                    "key",
                )
            )
        for bucket, per_minute, burst, who in buckets:
            wait = self.limiter.take(bucket, per_minute, burst)
            if wait:
                await _problem(
                    send,
                    429,
                    "rate-limited",
                    "Too many requests",
                    f"At most {per_minute} requests a minute from one {who}; retry later.",
                    {"retry-after": str(math.ceil(wait))},
                )
                return
        if scope["method"] in BODY_METHODS:
            try:
                body = await _read_body(receive, settings.max_body_bytes)
            except BodyTooLarge:
                await _problem(
                    send,
                    413,
                    "body-too-large",
                    "Content too large",
                    f"The body is larger than {settings.max_body_bytes} bytes.",
                )
                return
            if json_depth(body) > settings.max_json_depth:
                await _problem(
                    send,
                    422,
                    "validation-error",
                    "Invalid request",
                    f"The JSON is nested deeper than {settings.max_json_depth} levels.",
                    errors=[{"field": "", "in": "body", "message": "too deep", "code": "too_deep"}],
                )
                return
            receive = _replay(body)
        await self._timed(scope, receive, send)

    async def _timed(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The request must start its response in time, or the client gets a 503.

        A response under way is not cut off (a streamed export of millions of rows takes
        minutes). Nor is a late request cancelled: its work may be in a thread, which cannot be
        stopped, using the request's session, which a cancellation would roll back and close
        under it. It runs to its end on its own, and what it would send is dropped.
        """
        loop = asyncio.get_running_loop()
        started = abandoned = False
        answer: asyncio.Task[None] | None = None

        def give_up() -> None:
            nonlocal abandoned, answer
            abandoned = True
            timeout = self.settings.request_timeout_seconds
            answer = loop.create_task(
                _problem(
                    send,
                    503,
                    "timeout",
                    "Request took too long",
                    f"The request took longer than {timeout} s; try a narrower one.",
                    {"retry-after": "5"},
                )
            )

        timer = loop.call_later(self.settings.request_timeout_seconds, give_up)

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if abandoned:
                return
            if not started:
                started = True
                timer.cancel()
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if not abandoned:
                raise
            logger.exception("A request answered with a timeout failed later")
        finally:
            timer.cancel()
            if answer is not None:
                await answer


def address_bucket(scope: Scope) -> str:
    """The rate limiter's bucket for the client address a request comes from."""
    return f"address:{(scope.get('client') or ('unknown', 0))[0]}"


def _key_prefix(scope: Scope) -> str | None:
    """The public prefix of the API key a request presents, if any (checked later, by auth)."""
    value: bytes
    for name, value in scope["headers"]:
        if name == b"authorization" and value[:7].lower() == b"bearer ":
            value = value[7:]
        elif name != b"x-api-key":
            continue
        parts = value.strip().split(b"_")
        if len(parts) >= 3 and parts[0] == b"kb":
            return str(parts[1][:16].decode("latin-1"))
    return None


async def _read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            await asyncio.Event().wait()  # as a server does: nothing more until disconnect
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _problem(
    send: Send,
    status: int,
    slug: str,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> None:
    body = json.dumps(
        {
            "type": f"/problems/{slug}",
            "title": title,
            "status": status,
            "detail": detail,
            **extensions,
        }
    ).encode()
    raw_headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    raw_headers += [(key.encode(), value.encode()) for key, value in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})
