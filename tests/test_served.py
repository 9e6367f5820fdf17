"""The application as uvicorn imports it (app/asgi.py)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_served_app_keeps_its_start_up_objects_out_of_the_collector(tmp_path: Path) -> None:
    """A full collection would walk every object the libraries made at start-up again (150 to
    200 ms, every request in flight waiting): they are frozen once the app is built."""
    probe = "import gc, app.asgi; print(gc.get_freeze_count(), gc.get_count()[2])"
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'served.sqlite3'}",
        "KB_SEED_ON_EMPTY": "false",
    }
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    frozen, oldest = map(int, result.stdout.split())
    assert frozen > 50_000, f"only {frozen} objects frozen"
    assert oldest == 0, "objects were left in the oldest generation, to be walked again"
