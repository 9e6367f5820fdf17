"""The explorer page: static HTML, CSS and JavaScript that use only the public API."""

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

FILES = Path(__file__).resolve().parent.parent / "static" / "explorer"
router = APIRouter(include_in_schema=False)


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/explore")


@router.get("/explore")
def explorer() -> FileResponse:
    return FileResponse(FILES / "index.html", media_type="text/html")


def mount_explorer(app: FastAPI) -> None:
    """Serve the page at /explore and its files under /explore/static."""
    app.include_router(router)
    app.mount("/explore/static", StaticFiles(directory=FILES), name="explorer-static")
