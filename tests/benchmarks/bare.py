"""The baseline: a bare ASGI app that serves the identical bytes the API served for a profile."""

import os
from pathlib import Path

from starlette.types import Receive, Scope, Send

BODY = Path(os.environ.get("KB_BARE_BODY", "/dev/null")).read_bytes()
HEADERS = [
    (b"content-type", b"application/json"),
    (b"content-length", str(len(BODY)).encode()),
    (b"etag", b'"bare-1"'),
]


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
