"""Baselines for a profile read without the cache: the API's own stack, doing no work.

The API as uvicorn serves it with the response cache off (its middleware: limits, CORS, the
errors; the key check every route depends on; its router), with two more routes:

- ``/floor/bytes``: the identical bytes the API served for a profile, from memory, in a route
  on the event loop. No cold read can be faster in this stack.
- ``/floor/query``: the same bytes from a route in a worker thread, after one ``SELECT 1`` on the
  request's session, as every read runs. What any read pays before its own queries.

Their shares of the bare app bound what a profile built some other way (by the database as
JSON, say) could reach here.
"""

import gc
import os
from pathlib import Path

from fastapi import Response
from sqlalchemy import text

from app.api.deps import SessionDep
from app.main import create_app

BODY = Path(os.environ.get("KB_BARE_BODY", "/dev/null")).read_bytes()
app = create_app()  # the response cache is app.asgi's, in front of this


@app.get("/floor/bytes", include_in_schema=False)
async def floor_bytes() -> Response:
    return Response(BODY, media_type="application/json")


@app.get("/floor/query", include_in_schema=False)
def floor_query(session: SessionDep) -> Response:
    session.execute(text("SELECT 1"))
    return Response(BODY, media_type="application/json")


# First, as the profile's router is: the router tries its routes in turn.
app.router.routes[:0] = [app.router.routes.pop(), app.router.routes.pop()]
gc.collect()  # as app/asgi.py does
gc.freeze()
