"""The name keys search compares by: what is folded away and what must stay."""

import pytest

from app.names import name_key, name_skeleton


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("ʾAknāf Bayt al-Maqdis", "aknaf bayt maqdis"),
        ("Al-Nusra Front", "nusra front"),
        ("أكناف بيت المقدس", "اكناف بيت مقدس"),  # the article goes, the hamza is folded
        ("ٱلقدس", "قدس"),  # the article with wasla
        ("والقدس", "قدس"),  # and the article after wa-
        ("ألوية الفرقان", "الويه فرقان"),  # alwiya: a hamza-alif and lam of the word itself
        ("الألوية", "الويه"),  # ... and with the article in front
        ("الإسلام", "اسلام"),
    ],
)
def test_name_key(name: str, key: str) -> None:
    assert name_key(name) == key


def test_the_article_and_its_absence_share_a_key() -> None:
    assert name_key("ألوية") == name_key("الألوية") == name_skeleton("ألوية")
    assert name_key("المقدس") == name_key("مقدس")
