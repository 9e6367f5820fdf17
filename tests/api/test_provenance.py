"""Provenance: every fact carries its evidence; sources list what they support."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Citation, SourceKind
from app.schemas.common import Page
from app.schemas.facts import FactRead
from app.services import paging
from app.services.provenance import COLUMNS, Evidence, list_facts
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


@pytest.mark.parametrize("evidence", [None, "referenced", "article-only"])
@pytest.mark.parametrize("source", [None, "article", "report"])
def test_the_facts_listed_are_those_their_citations_say(
    session: Session, monkeypatch: pytest.MonkeyPatch, source: str | None, evidence: Evidence | None
) -> None:
    """Every filter of the fact lists against the citations read in Python: each page, in order
    of type then id, and the total wherever one is given (counted past two only)."""
    monkeypatch.setattr(paging, "COUNTED_PAST_OFFSET", 2)
    sources = {
        "article": add_source(session, "The article", kind=SourceKind.ARTICLE),
        "other article": add_source(session, "Another article", kind=SourceKind.ARTICLE),
        "report": add_source(session, "A report"),
    }
    patterns = [["article"], ["article", "report"], ["report"], ["article", "other article"]]
    for index in range(12):
        cited_by = patterns[index % len(patterns)]
        member = add_organization(session, f"Member {index}", sources[cited_by[0]])
        for more in cited_by[1:]:
            session.add(Citation(source_id=sources[more].id, entity_id=member.id))
    session.flush()
    kinds: dict[tuple[str, int], set[int]] = {}
    for citation in session.scalars(select(Citation)):
        for fact_type, column in COLUMNS.items():
            if getattr(citation, column) is not None:
                kinds.setdefault((fact_type, getattr(citation, column)), set()).add(
                    citation.source_id
                )
    articles = {sources["article"].id, sources["other article"].id}
    expected = sorted(
        fact
        for fact, cited_by_ids in kinds.items()
        if (source is None or sources[source].id in cited_by_ids)
        and (evidence is None or (evidence == "referenced") == bool(cited_by_ids - articles))
    )
    # Every combination lists something but one: what a report cites rests on more than articles.
    assert bool(expected) != (source == "report" and evidence == "article-only")
    listed: list[tuple[str, int]] = []
    for offset in range(0, len(expected) + 3, 3):
        page, total = list_facts(
            session,
            source_id=sources[source].id if source else None,
            evidence=evidence,
            limit=3,
            offset=offset,
        )
        listed += [(fact["type"], fact["id"]) for fact in page]
        assert total in (None, len(expected))
        assert (total is None) == (len(expected) - offset > max(3, 2))
    assert listed == expected


def test_fact_lists_are_written_as_their_response_model(seeded_api: TestClient) -> None:
    """The fact lists are built as plain data and serialised once: every page's bytes must be
    what the page's model (the OpenAPI document's) writes, for facts of all five types."""
    source = seeded_api.get("/sources", params={"limit": 1}).json()["items"][0]["slug"]
    types: set[str] = set()
    for url in [
        "/facts?limit=40",
        "/facts?evidence=article-only&limit=40",
        "/facts?evidence=referenced&limit=40",
        f"/sources/{source}/facts?limit=40",
    ]:
        next_url: str | None = url
        while next_url is not None:
            response = seeded_api.get(next_url)
            assert response.status_code == 200, response.text
            written = Page[FactRead].model_validate_json(response.content, by_name=True)
            assert response.content == written.model_dump_json(by_alias=True).encode()
            assert response.headers["x-total-count"] == str(written.total)
            types |= {fact.type for fact in written.items}
            next_url = response.links.get("next", {}).get("url")
    assert types == set(COLUMNS)
