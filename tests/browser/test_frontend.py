"""Frontend integration: a page from another origin uses the API through CORS, and a TypeScript
client generated from /openapi.json type-checks a small usage file."""

import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.conftest import not_available
from tests.live import free_port

FRONTEND = Path(__file__).resolve().parent.parent / "frontend"
PAGE = """<!doctype html><meta charset="utf-8"><title>Another origin</title>
<pre id="out">running</pre>
<script type="module">
const api = new URLSearchParams(location.search).get("api");
const ids = [];
let pages = 0, total = null, url = `${api}/organizations?limit=5`;
while (url) {
  const response = await fetch(url);
  total = Number(response.headers.get("X-Total-Count"));
  ids.push(...(await response.json()).items.map((item) => item.id));
  pages += 1;
  const links = (response.headers.get("Link") || "").split(",");
  const next = links.find((link) => link.includes('rel="next"'));
  url = next ? new URL(next.trim().slice(1, next.trim().indexOf(">")), api).href : null;
}
const item = await fetch(`${api}/organizations/${ids[0]}`);
const etag = item.headers.get("ETag");
const again = await fetch(`${api}/organizations/${ids[0]}`, { headers: { "If-None-Match": etag } });
document.getElementById("out").textContent = JSON.stringify({
  ids, pages, total, etag, revalidated: again.status, origin: location.origin,
});
</script>"""


@pytest.fixture
def other_origin(tmp_path: Path) -> Iterator[str]:
    """A static server on another port (so another origin) serving the page above."""
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}"
    server.shutdown()


def test_a_page_from_another_origin_pages_through_the_api(
    page: Page, base_url: str, other_origin: str
) -> None:
    page.goto(f"{other_origin}/index.html?api={base_url}")
    output = page.locator("#out")
    expect(output).not_to_have_text("running", timeout=15000)
    result = json.loads(output.inner_text())
    assert result["origin"] != base_url  # truly another origin: localhost, another port
    assert result["total"] == httpx.get(f"{base_url}/organizations").json()["total"]
    assert len(result["ids"]) == len(set(result["ids"])) == result["total"]
    assert result["pages"] == -(-result["total"] // 5)
    assert result["etag"].startswith('"organization-')
    assert result["revalidated"] == 304
    screenshot(page, "cors-page")


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None:
        not_available("TypeScript client check", "npm is not installed")
    return npm


def test_a_generated_typescript_client_type_checks(base_url: str) -> None:
    npm = _npm()
    run = partial(subprocess.run, cwd=FRONTEND, capture_output=True, text=True, timeout=600)
    if not (FRONTEND / "node_modules" / ".bin" / "tsc").exists():
        installed = run([npm, "ci", "--no-audit", "--no-fund"])
        assert installed.returncode == 0, installed.stderr
    generated = FRONTEND / "generated"
    generated.mkdir(exist_ok=True)
    (generated / "openapi.json").write_text(httpx.get(f"{base_url}/openapi.json").text)
    bin_ = FRONTEND / "node_modules" / ".bin"
    made = run(
        [str(bin_ / "openapi-typescript"), "generated/openapi.json", "-o", "generated/schema.d.ts"]
    )
    assert made.returncode == 0, made.stdout + made.stderr
    checked = run([str(bin_ / "tsc"), "-p", "tsconfig.json"])
    assert checked.returncode == 0, checked.stdout + checked.stderr
