"""API keys: writes need the write scope, reads are public unless configured, keys are hashed."""

import hashlib

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ApiKey
from app.services.keys import Scope, mint_key, revoke_key
from tests.conftest import mint
from tests.factories import add_source


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


NEW_SOURCE = {"title": "A new report", "kind": "web"}


def test_an_anonymous_write_is_a_401_problem(anonymous: TestClient) -> None:
    response = anonymous.post("/sources", json=NEW_SOURCE)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert anonymous.get("/sources?title=new").json()["items"] == []


def test_reads_are_public_by_default(anonymous: TestClient) -> None:
    assert anonymous.get("/organizations").status_code == 200


def test_a_read_key_cannot_write(anonymous: TestClient, session: Session) -> None:
    response = anonymous.post(
        "/sources", json=NEW_SOURCE, headers=bearer(mint(session, Scope.READ))
    )
    assert response.status_code == 403
    assert "write" in response.json()["detail"]


@pytest.mark.parametrize("header", ["Authorization", "X-API-Key"])
def test_a_write_key_writes_in_either_header(
    anonymous: TestClient, session: Session, header: str
) -> None:
    secret = mint(session, Scope.WRITE)
    value = f"Bearer {secret}" if header == "Authorization" else secret
    response = anonymous.post("/sources", json=NEW_SOURCE, headers={header: value})
    assert response.status_code == 201, response.text


def test_unknown_malformed_and_revoked_keys_look_alike(
    anonymous: TestClient, session: Session
) -> None:
    minted = mint_key(session, "soon revoked", [Scope.WRITE])
    revoke_key(session, minted.key.prefix)
    wrong_secret = minted.secret[:-4] + "abcd"
    answers = [
        anonymous.post("/sources", json=NEW_SOURCE, headers=bearer(secret))
        for secret in [minted.secret, wrong_secret, "kb_ffffffff_nothing", "garbage"]
    ]
    assert {answer.status_code for answer in answers} == {401}
    assert len({answer.json()["detail"] for answer in answers}) == 1


def test_keys_are_stored_only_as_a_hash(session: Session) -> None:
    minted = mint_key(session, "hashed", [Scope.WRITE])
    stored = session.scalars(select(ApiKey).where(ApiKey.id == minted.key.id)).one()
    assert minted.secret not in {stored.secret_hash, stored.prefix, stored.name}
    assert stored.secret_hash == hashlib.sha256(minted.secret.encode()).hexdigest()
    assert len(minted.secret) > 40  # 256 random bits and the prefix


def test_a_setting_makes_reads_need_a_key(
    app: FastAPI, anonymous: TestClient, session: Session
) -> None:
    app.state.settings.require_key_for_reads = True
    assert anonymous.get("/organizations").status_code == 401
    assert anonymous.get("/healthz").status_code == 200  # probes stay public
    assert anonymous.get("/openapi.json").status_code == 200
    reader = bearer(mint(session, Scope.READ))
    assert anonymous.get("/organizations", headers=reader).status_code == 200


def test_managing_keys_over_http_needs_admin(anonymous: TestClient, session: Session) -> None:
    writer, admin = bearer(mint(session, Scope.WRITE)), bearer(mint(session, Scope.ADMIN))
    assert anonymous.get("/keys").status_code == 401
    assert anonymous.get("/keys", headers=writer).status_code == 403
    created = anonymous.post("/keys", json={"name": "frontend", "scopes": ["write"]}, headers=admin)
    assert created.status_code == 201, created.text
    secret, prefix = created.json()["secret"], created.json()["prefix"]
    listed = anonymous.get("/keys", headers=admin).json()
    assert prefix in {key["prefix"] for key in listed}
    assert all("secret" not in key for key in listed)
    assert anonymous.post("/sources", json=NEW_SOURCE, headers=bearer(secret)).status_code == 201
    assert anonymous.delete(f"/keys/{prefix}", headers=admin).status_code == 204
    assert anonymous.post("/sources", json=NEW_SOURCE, headers=bearer(secret)).status_code == 401


def test_revoking_an_unknown_key_is_a_404(anonymous: TestClient, session: Session) -> None:
    admin = bearer(mint(session, Scope.ADMIN))
    assert anonymous.delete("/keys/00000000", headers=admin).status_code == 404


def test_each_key_has_its_own_rate_limit(
    app: FastAPI, anonymous: TestClient, session: Session
) -> None:
    add_source(session)
    app.state.settings.key_rate_limit_burst = 2
    app.state.settings.key_rate_limit_per_minute = 1
    first, second = bearer(mint(session, Scope.READ)), bearer(mint(session, Scope.READ))
    statuses = [anonymous.get("/sources", headers=first).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert anonymous.get("/sources", headers=second).status_code == 200
    assert anonymous.get("/sources").status_code == 200  # the address is not yet limited
