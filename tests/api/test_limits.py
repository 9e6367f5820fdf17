"""Limits on what a client controls: body size (also chunked), JSON depth, rate, page size."""

from collections.abc import Iterator

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.limits import RateLimiter, json_depth


def test_a_body_over_the_limit_is_a_413(app: FastAPI, client: TestClient) -> None:
    app.state.settings.max_body_bytes = 1000
    response = client.post("/sources", json={"title": "x" * 2000})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_a_chunked_body_without_length_is_capped_too(app: FastAPI, client: TestClient) -> None:
    app.state.settings.max_body_bytes = 1000

    def chunks() -> Iterator[bytes]:
        yield b'{"title": "'
        for _ in range(50):
            yield b"x" * 100
        yield b'"}'

    response = client.post(
        "/sources", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_deeply_nested_json_is_a_422_not_a_crash(client: TestClient) -> None:
    deep = "[" * 5000 + "]" * 5000
    response = client.post("/sources", content=deep, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "too_deep"


def test_json_depth_ignores_brackets_inside_strings() -> None:
    assert json_depth(b'{"a": "[[[[{{{", "b": [1, {"c": 2}]}') == 3


def test_too_many_requests_get_a_429_with_retry_after(app: FastAPI, client: TestClient) -> None:
    app.state.settings.rate_limit_burst = 3
    app.state.settings.rate_limit_per_minute = 1
    statuses = [client.get("/organizations").status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200]
    refused = client.get("/organizations")
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert client.get("/healthz").status_code == 200  # probes are never limited


def test_the_rate_limiter_refills_over_time() -> None:
    limiter = RateLimiter()
    assert limiter.take("a", per_minute=60, burst=1) == 0
    wait = limiter.take("a", per_minute=60, burst=1)
    assert 0 < wait <= 1
    assert limiter.take("b", per_minute=60, burst=1) == 0  # another client has its own bucket
