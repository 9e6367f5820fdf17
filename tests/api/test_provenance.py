"""Provenance: every fact carries its evidence; sources list what they support."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import SourceKind
from tests.factories import add_organization, add_source, cite


def _arrange(client: TestClient, session: Session) -> tuple[int, int]:
    article = add_source(session, "The article", kind=SourceKind.ARTICLE)
    report = add_source(session, "A report")
    alpha = add_organization(session, "Alpha", article)
    beta = add_organization(session, "Beta", article)
    client.post(
        "/relationships",
        json={
            "subject": alpha.id,
            "object": beta.id,
            "type": "ally",
            "citations": [cite(article, None)],
        },
    )
    client.post(
        "/relationships",
        json={
            "subject": alpha.id,
            "object": beta.id,
            "type": "opponent",
            "citations": [cite(article, None), cite(report, 3)],
        },
    )
    return article.id, report.id


def test_every_fact_carries_an_evidence_summary(client: TestClient, session: Session) -> None:
    _arrange(client, session)
    links = {
        link["type"]: link for link in client.get("/organizations/alpha").json()["relationships"]
    }
    assert links["ally"]["evidence"] == {"sources": 0, "article_only": True}
    assert links["opponent"]["evidence"] == {"sources": 1, "article_only": False}


def test_article_only_facts_are_listed_for_verification(
    client: TestClient, session: Session
) -> None:
    _arrange(client, session)
    body = client.get("/facts", params={"evidence": "article-only"}).json()
    statements = {fact["statement"] for fact in body["items"]}
    assert "Alpha — ally → Beta (asserted)" in statements
    assert "Alpha — opponent → Beta (asserted)" not in statements
    assert all(fact["evidence"]["article_only"] for fact in body["items"])
    assert body["total"] == len(body["items"])


def test_a_source_lists_the_facts_it_supports(client: TestClient, session: Session) -> None:
    _, report_id = _arrange(client, session)
    body = client.get(f"/sources/{report_id}/facts").json()
    assert [fact["statement"] for fact in body["items"]] == ["Alpha — opponent → Beta (asserted)"]
    assert body["items"][0]["type"] == "relationship"
    assert body["items"][0]["about"]["slug"] == "alpha"


def test_unknown_source_facts_is_404(client: TestClient) -> None:
    assert client.get("/sources/nothing-here/facts").status_code == 404


def test_unknown_evidence_value_is_422(client: TestClient) -> None:
    assert client.get("/facts", params={"evidence": "rumour"}).status_code == 422
