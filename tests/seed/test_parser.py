"""Reading articles of the flattened-encyclopedia format: names, infobox, prose, references."""

from datetime import date
from pathlib import Path

import pytest

from seed.parser import (
    Article,
    InfoboxItem,
    Qualifier,
    QualifierKind,
    parse_article,
    parse_reference,
    parse_work_cited,
    resolve_short_citation,
    split_sentences,
    work_key,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seed" / "article.txt"
ARTICLES = ROOT / "seed" / "articles"
NBSP = "\u00a0"


def read(path: Path) -> Article:
    return parse_article(path.read_text(encoding="utf-8"))


SEED_ARTICLE = read(SEED)
HERON = read(ARTICLES / "grey-heron-brigade.txt")
STARS = read(ARTICLES / "liwa-nujum-al-sahil.txt")
KARSK = read(ARTICLES / "karsk-highland-militia.txt")
ALL = {
    "seed": (SEED, SEED_ARTICLE),
    "heron": (ARTICLES / "grey-heron-brigade.txt", HERON),
    "stars": (ARTICLES / "liwa-nujum-al-sahil.txt", STARS),
    "karsk": (ARTICLES / "karsk-highland-militia.txt", KARSK),
}


def texts(article: Article, key: str) -> list[str]:
    found = article.field(key)
    assert found is not None, key
    return [item.text for item in found.items]


def item(article: Article, key: str, text: str) -> InfoboxItem:
    found = article.field(key)
    assert found is not None, key
    return next(entry for entry in found.items if entry.text == text)


def kinds(entry: InfoboxItem) -> list[tuple[str, str | None]]:
    return [(qualifier.kind, qualifier.value) for qualifier in entry.qualifiers]


def infobox_article(*lines: str) -> Article:
    """A minimal article of the format around the given infobox lines."""
    body = "\n".join(lines)
    return parse_article(f"Test Group\n\nThe Test Group was a group.\n\nTest Group\n{body}\n")


def qualifier(raw: str) -> Qualifier:
    entry = infobox_article(f"Allies Some Group ({raw})").infobox[0].items[0]
    return entry.qualifiers[0]


# -- names ------------------------------------------------------------------------------------


def test_the_title_is_the_first_line() -> None:
    assert SEED_ARTICLE.title == "Aknaf Bait al-Maqdis"


def test_the_lead_gives_the_bold_variant_spelling() -> None:
    assert SEED_ARTICLE.names.bold_names == ("Aknaf Beit al-Maqdis",)


def test_the_lead_gives_the_native_name_and_its_language() -> None:
    names = SEED_ARTICLE.names
    assert (names.native, names.native_language) == ("أكناف بيت المقدس", "ar")


def test_the_lead_gives_the_romanization_and_the_literal_translation() -> None:
    names = SEED_ARTICLE.names
    assert (names.romanized, names.literal) == ("ʾAknāf Bayt al-Maqdis", "Region of the Holy House")


def test_the_infobox_opens_with_the_name_and_the_native_name() -> None:
    names = SEED_ARTICLE.names
    assert (names.infobox_name, names.infobox_native_name) == (
        "Aknaf Beit al-Maqdis",
        "أكناف بيت المقدس",
    )


def test_also_known_as_and_or_in_the_lead_give_variant_names() -> None:
    assert HERON.names.bold_names == ("Heron Brigade",)
    assert STARS.names.bold_names == ("Coastal Stars Brigade",)


def test_an_acronym_in_parentheses_in_the_lead_is_a_variant_name() -> None:
    assert KARSK.names.bold_names == ("KHM",)


def test_a_cyrillic_native_name_is_read_with_its_language() -> None:
    assert (HERON.names.native, HERON.names.native_language) == ("Бригада Серой Цапли", "ru")
    assert HERON.names.infobox_native_name == "Бригада Серой Цапли"


def test_an_infobox_without_a_native_name_has_none() -> None:
    assert KARSK.names.infobox_native_name is None
    assert KARSK.names.native is None


# -- the seed article's infobox ---------------------------------------------------------------


def test_the_seed_infobox_fields_in_order() -> None:
    assert [f.key for f in SEED_ARTICLE.infobox] == [
        "leaders",
        "dates_of_operation",
        "allegiance",
        "headquarters",
        "active_regions",
        "ideology",
        "size",
        "allies",
        "opponents",
        "battles_and_wars",
    ]


def test_a_label_alone_is_followed_by_bullet_items() -> None:
    assert texts(SEED_ARTICLE, "leaders") == ["Abu Ahmed Mushir", "Abo Hamam", "Ahmad Zaghmout"]
    assert [entry.markers for entry in SEED_ARTICLE.infobox[0].items] == [(2,), (3,), (4,)]


def test_a_bullet_item_keeps_its_whole_line_as_the_quote() -> None:
    assert item(SEED_ARTICLE, "leaders", "Abo Hamam").line == "• Abo Hamam[3]"


def test_a_field_continues_on_lines_without_a_label() -> None:
    assert texts(SEED_ARTICLE, "dates_of_operation") == ["c. 2012/13 – 2015", "2015 – present"]


def test_dates_of_operation_carry_role_qualifiers() -> None:
    assert kinds(item(SEED_ARTICLE, "dates_of_operation", "c. 2012/13 – 2015")) == [
        ("role", "main group")
    ]
    assert kinds(item(SEED_ARTICLE, "dates_of_operation", "2015 – present")) == [
        ("role", "remnant faction")
    ]


def test_allegiance_separated_by_a_space_with_a_denial() -> None:
    allegiance = item(SEED_ARTICLE, "allegiance", "Hamas")
    assert kinds(allegiance) == [("denied", "Hamas")]
    assert allegiance.markers == (5,)
    assert allegiance.line == "Allegiance Hamas (denied by Hamas)[5]"


def test_headquarters_glued_to_its_label() -> None:
    assert texts(SEED_ARTICLE, "headquarters") == ["Yarmouk Camp, Damascus"]


def test_a_label_with_a_non_breaking_space_inside_is_recognised() -> None:
    regions = SEED_ARTICLE.field("active_regions")
    assert regions is not None
    assert regions.label == f"Active{NBSP}regions"
    assert texts(SEED_ARTICLE, "active_regions") == ["Southern Syria"]


def test_ideology_glued_to_its_label() -> None:
    assert texts(SEED_ARTICLE, "ideology") == ["Islamism"]


def test_size_with_a_date_qualifier_and_a_marker() -> None:
    size = item(SEED_ARTICLE, "size", "200")
    assert (kinds(size), size.markers) == ([("date", "2015")], (6,))


def test_allies_one_per_line_with_their_qualifiers_and_markers() -> None:
    allies = SEED_ARTICLE.field("allies")
    assert allies is not None
    assert [(a.text, kinds(a), a.markers) for a in allies.items] == [
        ("Jaysh al-Islam", [], ()),
        ("Jaysh al-Ababil", [], ()),
        ("Liwa Sham al-Rasul", [], ()),
        ("Hay'at Tahrir al-Sham", [("date", "2018")], ()),
        ("Al-Nusra Front", [("formerly", None)], (7,)),
        ("Al-Rahman Legion", [], (8, 9)),
    ]


def test_opponents_after_a_non_breaking_space() -> None:
    assert texts(SEED_ARTICLE, "opponents") == [
        "Syria",
        "Islamic State of Iraq and the Levant",
        "Al-Nusra Front",
        "Arab Nationalist Guard",
        "Hezbollah",
    ]
    assert item(SEED_ARTICLE, "opponents", "Syria").line == f"Opponents{NBSP}Syria"


def test_a_nested_bullet_is_a_child_of_the_item_above_it() -> None:
    hezbollah = item(SEED_ARTICLE, "opponents", "Hezbollah")
    (child,) = hezbollah.children
    assert (child.text, child.markers, child.line_number) == ("Return Forces", (10,), 29)
    assert kinds(child) == [("affiliation", "Hezbollah")]


def test_battles_and_wars_glued_to_its_label() -> None:
    assert texts(SEED_ARTICLE, "battles_and_wars") == ["Syrian Civil War"]


def test_items_know_their_line_numbers() -> None:
    assert item(SEED_ARTICLE, "allies", "Al-Rahman Legion").line_number == 23
    field = SEED_ARTICLE.field("allies")
    assert field is not None
    assert field.line_number == 18


def test_a_stray_caption_in_the_infobox_is_reported() -> None:
    assert [(u.line_number, u.text) for u in SEED_ARTICLE.uninterpreted] == [
        (31, "Palestinian Syrian militias")
    ]


def test_field_looks_up_by_key_and_misses_cleanly() -> None:
    assert SEED_ARTICLE.field("website") is None
    assert SEED_ARTICLE.field("Headquarters") is not None


# -- qualifiers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        ("denied by Hamas", "denied", "Hamas"),
        ("denied", "denied", None),
        ("formally", "formerly", None),
        ("formerly", "formerly", None),
        ("2015", "date", "2015"),
        ("since 2016", "date", "since 2016"),
        ("c. 2020", "date", "c. 2020"),
        ("April 2015 – 2017", "date", "April 2015 – 2017"),
        ("main group", "role", "main group"),
        ("remnant faction", "role", "remnant faction"),
        ("splinter", "role", "splinter"),
        ("faction", "role", "faction"),
        ("Palestinian Hezbollah affiliate", "affiliation", "Palestinian Hezbollah"),
        ("part of the Southern Front", "affiliation", "the Southern Front"),
        ("allegedly", "note", None),
    ],
)
def test_qualifier_kinds(raw: str, kind: QualifierKind, value: str | None) -> None:
    assert qualifier(raw) == Qualifier(raw, kind, value)


def test_an_affiliation_names_the_parent_item_it_is_nested_under() -> None:
    article = infobox_article(
        "Opponents Black Lantern", "  • Lantern Youth (Black Lantern affiliate)"
    )
    assert kinds(article.infobox[0].items[0].children[0]) == [("affiliation", "Black Lantern")]


def test_several_qualifiers_on_one_item() -> None:
    entry = infobox_article("Allies Some Group (formerly) (2015)[3]").infobox[0].items[0]
    assert (entry.text, kinds(entry), entry.markers) == (
        "Some Group",
        [("formerly", None), ("date", "2015")],
        (3,),
    )


# -- labels -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "key", "value"),
    [
        ("HeadquartersVellmouth", "headquarters", "Vellmouth"),
        ("Headquarters Vellmouth", "headquarters", "Vellmouth"),
        (f"Headquarters{NBSP}Vellmouth", "headquarters", "Vellmouth"),
        ("Activec. 2019 – 2022", "dates_of_operation", "c. 2019 – 2022"),
        ("Leader Jane Doe", "leaders", "Jane Doe"),
        ("Founder(s)Jane Doe", "founders", "Jane Doe"),
        ("Part ofSouthern Front", "part_of", "Southern Front"),
        ("Area of operationsSahil coast", "area_of_operations", "Sahil coast"),
        ("Political positionFar-left", "political_position", "Far-left"),
        ("Originated asSome Committee", "originated_as", "Some Committee"),
    ],
)
def test_labels_glued_spaced_or_non_breaking(line: str, key: str, value: str) -> None:
    (field,) = infobox_article(line).infobox
    assert (field.key, [entry.text for entry in field.items]) == (key, [value])


def test_the_longest_label_wins() -> None:
    (field,) = infobox_article("Active regionsNorth").infobox
    assert (field.label, field.key) == ("Active regions", "active_regions")


def test_a_lowercase_continuation_is_not_taken_for_a_glued_label() -> None:
    article = infobox_article("Allies Some Group", "Flagstaff Brigade")
    assert [f.key for f in article.infobox] == ["allies"]
    assert texts(article, "allies") == ["Some Group", "Flagstaff Brigade"]


def test_an_unknown_glued_label_is_reported_with_its_lines() -> None:
    article = infobox_article("IdeologyX", "MascotA heron", "Grey Heron")
    assert [(u.text, u.reason) for u in article.uninterpreted] == [
        ("MascotA heron", "unknown infobox label 'Mascot'"),
        ("Grey Heron", "continues an unknown infobox field"),
    ]
    assert texts(article, "ideology") == ["X"]


# -- prose ------------------------------------------------------------------------------------


def test_the_lead_is_one_sentence_despite_the_lit_abbreviation() -> None:
    assert SEED_ARTICLE.lead is not None
    (sentence,) = SEED_ARTICLE.lead.sentences
    assert sentence.text.endswith("active during the Syrian Civil War.")
    assert (sentence.section, sentence.index) == ("Lead", 0)


def test_the_seed_sections_in_order() -> None:
    assert [s.heading for s in SEED_ARTICLE.sections] == [
        "History",
        "See also",
        "References",
        "Works cited",
    ]


HISTORY = [
    (0, "Following the outbreak of the Syrian Civil War,", (14,)),
    (0, "The militia was only loosely affiliated", (15, 16, 17)),
    (0, "Hamas, however, officially denied", (18,)),
    (0, "The group was primarily active in the Yarmouk Camp", (4,)),
    (0, "It also had branches in Quneitra[19] and the Daraa Governorate.", (19,)),
    (0, "The Aknaf Beit al-Maqdis' Daraa group took part", (20,)),
    (1, "Aknaf Beit al-Maqdis battled the Islamic State", (16, 17, 21)),
    (1, "As result, Aknaf Beit al-Maqdis disintegrated,", (22,)),
    (1, "In order to save the remainder of the militia (by then reduced to 160 fighters),", ()),
    (1, "The group's Yarmouk branch consequently joined", (23, 4)),
    (1, "Local pro-government troops continued", (23,)),
    (1, "In early 2015, amidst its political disintegration,", (24,)),
    (2, "Despite the events of April 2015,", ()),
    (2, "This faction rejected offers of reconciliation", (25, 26)),
    (3, "After most rebel factions in southern Damascus,", (27,)),
    (3, "Amid this offensive, Aknaf Beit al-Maqdis clashed", (14,)),
    (3, "Hard-pressed and without hopes of victory,", ()),
    (3, "The pro-rebel Aknaf Beit al-Maqdis militants", (28,)),
]


def test_every_history_sentence_with_its_paragraph_and_markers() -> None:
    history = [s for s in SEED_ARTICLE.sentences() if s.section == "History"]
    assert len(history) == len(HISTORY)
    for sentence, (paragraph, start, markers) in zip(history, HISTORY, strict=True):
        assert sentence.text.startswith(start), sentence.text
        assert (sentence.paragraph, sentence.markers) == (paragraph, markers), sentence.text


def test_a_marker_after_the_full_stop_belongs_to_the_sentence_before_it() -> None:
    first = next(s for s in SEED_ARTICLE.sentences() if s.section == "History")
    assert first.text.endswith("formed Aknaf Beit al-Maqdis.[14]")


def test_a_marker_in_mid_sentence_stays_in_its_sentence() -> None:
    sentence = [s for s in SEED_ARTICLE.sentences() if s.section == "History"][1]
    assert sentence.text == (
        "The militia was only loosely affiliated to the Syrian opposition,[15] however, "
        "and its true allegiance remained with Hamas.[16][17]"
    )


def test_plain_text_drops_the_markers() -> None:
    sentence = [s for s in SEED_ARTICLE.sentences() if s.section == "History"][4]
    assert sentence.plain == "It also had branches in Quneitra and the Daraa Governorate."


def test_sentence_indexes_count_through_the_whole_article() -> None:
    assert [s.index for s in SEED_ARTICLE.sentences()] == list(range(19))


@pytest.mark.parametrize(
    ("paragraph", "sentences"),
    [
        ("It grew c. 2012 in size. It fell.", ["It grew c. 2012 in size.", "It fell."]),
        ("See Lister, p. 345 for more. Then more.", ["See Lister, p. 345 for more.", "Then more."]),
        (
            "The U.N. Security Council met. It voted.",
            ["The U.N. Security Council met.", "It voted."],
        ),
        ("Mr. Smith left. He returned.", ["Mr. Smith left.", "He returned."]),
        (
            'He said "We left. We won." Then he left.',
            ['He said "We left. We won."', "Then he left."],
        ),
        ("Did it end? Yes![3] It ended.", ["Did it end?", "Yes![3]", "It ended."]),
        ("It ended in 2015.[3][4] Then 2016.", ["It ended in 2015.[3][4]", "Then 2016."]),
        ("the group. lowercase follows", ["the group. lowercase follows"]),
    ],
)
def test_sentence_splitting(paragraph: str, sentences: list[str]) -> None:
    assert split_sentences(paragraph) == sentences


# -- references -------------------------------------------------------------------------------


def test_the_seed_article_has_28_numbered_references() -> None:
    assert [r.number for r in SEED_ARTICLE.references] == list(range(1, 29))


def test_a_reference_with_work_archive_and_retrieval_dates() -> None:
    first = SEED_ARTICLE.references[0]
    assert (first.title, first.work, first.authors) == (
        "Homepage of Aknaf Bait al-Maqdis",
        "Aknaf Bait al-Maqdis",
        (),
    )
    assert (first.archived_date, first.retrieved_date) == (date(2015, 4, 6), date(2018, 7, 23))
    assert first.published is None


def test_a_reference_with_only_a_title_and_a_date() -> None:
    second = SEED_ARTICLE.references[1]
    assert (second.title, second.work) == ("Syrian War Daily – 8th of December 2017", None)
    assert (second.published, second.published_date) == ("8 December 2017", date(2017, 12, 8))


def test_a_title_with_nested_single_quotes() -> None:
    fourth = SEED_ARTICLE.references[3]
    assert fourth.title == "'ISIS and Nusra are one' in Yarmouk Camp"
    assert (fourth.work, fourth.published_date) == ("Middle Meast Monitor", date(2015, 4, 19))


def test_an_arabic_title_with_inner_quotes_and_a_translation() -> None:
    fifth = SEED_ARTICLE.references[4]
    assert fifth.title == '"حماس" تنفي علاقتها بكتائب "أكناف بيت المقدس" في سورية'
    assert fifth.translated_title == (
        '"Hamas" denies a relationship with the "Aknaf Bayt Al-Maqdis" Brigades in Syria'
        " | Syrian Net"
    )
    assert (fifth.language, fifth.work, fifth.retrieved_date) == (
        "ar",
        "www.alsouria.net",
        date(2022, 7, 7),
    )


def test_a_title_alone() -> None:
    sixth = SEED_ARTICLE.references[5]
    assert sixth.title == "Palestinians flee refugee camp in Damascus as ISIS takes over"
    assert (sixth.work, sixth.published, sixth.retrieved_date, sixth.language) == (
        None,
        None,
        None,
        None,
    )


def test_an_arabic_title_with_inner_quotes_and_no_translation() -> None:
    seventh = SEED_ARTICLE.references[6]
    assert seventh.title is not None
    assert seventh.title.startswith("سوريا :جبريل:")
    assert '"النصرة"' in seventh.title
    assert seventh.title.endswith("حليفة له")
    assert (seventh.translated_title, seventh.language, seventh.work) == (None, "ar", None)


def test_in_arabic_after_the_work_gives_the_language() -> None:
    eighth = SEED_ARTICLE.references[7]
    assert (eighth.work, eighth.language, eighth.published_date) == (
        "Enab Baladi",
        "ar",
        date(2019, 7, 14),
    )
    assert eighth.translated_title == (
        "Hamas and the Syrian regime..a turbulent relationship and conflicting positions"
    )


def test_a_youtube_reference_with_an_arabic_title() -> None:
    eleventh = SEED_ARTICLE.references[10]
    assert (eleventh.work, eleventh.language) == ("YouTube", "ar")


def test_a_reference_with_an_author_before_the_date() -> None:
    fourteenth = SEED_ARTICLE.references[13]
    assert fourteenth.authors == ("Aymenn Jawad Al-Tamimi",)
    assert (fourteenth.published_date, fourteenth.retrieved_date) == (
        date(2018, 4, 27),
        date(2018, 4, 29),
    )
    assert fourteenth.title == "The South Damascus Campaign: Interview with Quwat al-Sa'iqa"


def test_a_short_citation() -> None:
    fifteenth = SEED_ARTICLE.references[14]
    assert fifteenth.short_citation is not None
    assert (
        fifteenth.short_citation.author,
        fifteenth.short_citation.year,
        fifteenth.short_citation.locator,
    ) == ("Lister", "2015", "p. 345")
    assert fifteenth.title is None
    assert fifteenth.raw == f"Lister (2015), p.{NBSP}345."


def test_a_short_citation_without_a_works_cited_entry_resolves_to_nothing() -> None:
    assert resolve_short_citation(SEED_ARTICLE, SEED_ARTICLE.references[14]) is None


def test_authors_work_and_retrieval() -> None:
    sixteenth = SEED_ARTICLE.references[15]
    assert (sixteenth.authors, sixteenth.work, sixteenth.published_date) == (
        ("Caleb Weiss",),
        "Long War Journal",
        date(2015, 4, 5),
    )


def test_a_pdf_archived_as_pdf() -> None:
    report = SEED_ARTICLE.references[21]
    assert (report.title, report.format, report.work) == (
        "Syria & Iraq Country Report: Children & Security",
        "PDF",
        "Dallaire Institute",
    )
    assert (report.published_date, report.archived_date, report.retrieved_date) == (
        date(2017, 1, 31),
        date(2022, 1, 17),
        date(2022, 1, 17),
    )


def test_a_work_with_dots_in_its_name() -> None:
    assert SEED_ARTICLE.references[23].work == "undocs.org"
    assert SEED_ARTICLE.references[8].work == "thecradle.co"


def test_two_references_to_the_same_work_share_a_work_key() -> None:
    tenth, fourteenth = SEED_ARTICLE.references[9], SEED_ARTICLE.references[13]
    assert work_key(tenth) == work_key(fourteenth)


def test_different_works_have_different_work_keys() -> None:
    keys = [work_key(r) for r in SEED_ARTICLE.references]
    assert len(set(keys)) == len(keys) - 1


def test_every_seed_reference_has_a_title_or_a_short_citation() -> None:
    for reference in SEED_ARTICLE.references:
        assert (reference.title is None) == (reference.short_citation is not None)


@pytest.mark.parametrize(
    ("raw", "author", "year", "locator"),
    [
        ("Smith (2019), p. 12.", "Smith", "2019", "p. 12"),
        ("Smith & Jones (2019), pp. 12–14.", "Smith & Jones", "2019", "pp. 12–14"),
        ("Smith (2019).", "Smith", "2019", None),
        ("Smith 2019, p. 12.", "Smith", "2019", "p. 12"),
    ],
)
def test_short_citation_shapes(raw: str, author: str, year: str, locator: str | None) -> None:
    short = parse_reference(1, raw).short_citation
    assert short is not None
    assert (short.author, short.year, short.locator) == (author, year, locator)


def test_several_authors_separated_by_semicolons() -> None:
    assert HERON.references[5].authors == ("Anna Bell", "Piotr Sorel")


def test_a_cyrillic_title_with_a_translation_and_in_russian() -> None:
    fifth = HERON.references[4]
    assert fifth.title == "Бригада Серой Цапли и Звёзды Побережья подписали союз"
    assert fifth.translated_title == "The Grey Heron Brigade and the Coastal Stars sign an alliance"
    assert (fifth.language, fifth.work) == ("ru", "Severnaya Gazeta")


def test_a_cyrillic_title_without_a_stated_language_has_none() -> None:
    assert (HERON.references[8].language, HERON.references[8].work) == (None, "YouTube")


def test_a_year_only_publication_date_has_no_exact_day() -> None:
    ninth = STARS.references[8]
    assert (ninth.published, ninth.published_date) == ("2014", None)


# -- works cited ------------------------------------------------------------------------------


def test_a_works_cited_entry() -> None:
    work = parse_work_cited(
        "Lister, Charles (2015). The Syrian Jihad. London: Hurst. ISBN 978-1-84904-427-6."
    )
    assert (work.key, work.authors, work.title, work.year) == (
        "lister-2015",
        ("Lister, Charles",),
        "The Syrian Jihad",
        "2015",
    )
    assert (work.place, work.publisher, work.isbn) == ("London", "Hurst", "978-1-84904-427-6")


def test_the_seed_works_cited_section_is_empty() -> None:
    assert SEED_ARTICLE.works_cited == ()


def test_a_short_citation_resolves_to_its_work_by_surname_and_year() -> None:
    work = resolve_short_citation(HERON, HERON.references[3])
    assert work is not None
    assert work.title == "Rivers of Ash: The Norvessan Insurgency"
    other = resolve_short_citation(HERON, HERON.references[11])
    assert other is not None
    assert other.key == "hale-2021"


def test_a_short_citation_for_another_year_does_not_resolve() -> None:
    other_year = parse_reference(99, "Marlow (2020), p. 3.")
    assert resolve_short_citation(HERON, other_year) is None


def test_a_reference_without_a_short_citation_resolves_to_nothing() -> None:
    assert resolve_short_citation(HERON, HERON.references[0]) is None


# -- licence and completeness -----------------------------------------------------------------


def test_the_licence_notice_is_the_last_line() -> None:
    assert SEED_ARTICLE.license_notice is not None
    assert SEED_ARTICLE.license_notice.startswith("This article is issued from Wikipedia.")
    assert "Creative Commons - Attribution - Sharealike" in SEED_ARTICLE.license_notice


@pytest.mark.parametrize("article", [HERON, STARS, KARSK])
def test_the_fictional_articles_say_they_are_fictional_under_cc_by_sa(article: Article) -> None:
    assert article.license_notice is not None
    assert "fictional, written for tests" in article.license_notice
    assert "CC BY-SA 4.0" in article.license_notice


def accounted_lines(article: Article, path: Path) -> set[int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    numbers = {1, len(lines)} if article.license_notice else {1}
    numbers |= {u.line_number for u in article.uninterpreted}
    numbers |= {s.line_number for s in article.sections}
    numbers |= {p.line_number for s in article.sections for p in s.paragraphs}
    numbers |= {article.lead.line_number} if article.lead else set()
    numbers |= {r.line_number for r in article.references}
    numbers |= {w.line_number for w in article.works_cited}

    def walk(items: tuple[InfoboxItem, ...]) -> None:
        for entry in items:
            numbers.add(entry.line_number)
            walk(entry.children)

    for field in article.infobox:
        numbers.add(field.line_number)
        walk(field.items)
    names = {article.names.infobox_name, article.names.infobox_native_name}
    numbers |= {n for n, line in enumerate(lines, start=1) if line.strip() in names and n > 1}
    return numbers


@pytest.mark.parametrize("name", sorted(ALL))
def test_every_line_is_interpreted_or_reported(name: str) -> None:
    path, article = ALL[name]
    lines = path.read_text(encoding="utf-8").splitlines()
    written = {n for n, line in enumerate(lines, start=1) if line.strip()}
    assert written <= accounted_lines(article, path)


def test_a_line_after_the_references_that_is_not_numbered_is_reported() -> None:
    article = parse_article('T\n\nLead.\n\nReferences\n\n  1. "A".\nstray text\n')
    assert [(u.text, u.reason) for u in article.uninterpreted] == [
        ("stray text", "line in References that is not a numbered reference")
    ]


def test_a_heading_that_is_also_an_infobox_label_starts_a_section() -> None:
    article = parse_article(
        "T\n\nT is a group.\n\nT\nSizeTen\n\nIdeology\n\nIt believes in rivers.[1]\n"
    )
    assert [f.key for f in article.infobox] == ["size"]
    assert [s.heading for s in article.sections] == ["Ideology"]
    assert [s.text for s in article.sentences()] == ["T is a group.", "It believes in rivers.[1]"]


def test_see_also_entries_are_reported_not_dropped() -> None:
    article = parse_article("T\n\nLead.\n\nSee also\n\n  • Other group\n")
    assert [u.reason for u in article.uninterpreted] == [
        "See also entry (navigation, not interpreted)"
    ]


# -- the fictional articles -------------------------------------------------------------------


def test_fictional_fields_come_in_another_order() -> None:
    assert [f.key for f in KARSK.infobox] == [
        "ideology",
        "status",
        "size",
        "leaders",
        "dates_of_operation",
        "allegiance",
        "opponents",
        "battles_and_wars",
    ]


def test_active_is_filed_under_dates_of_operation_keeping_its_label() -> None:
    active = STARS.field("dates_of_operation")
    assert active is not None
    assert active.label == "Active"
    assert texts(STARS, "dates_of_operation") == ["c. 2015 – 2021", "2021 – present"]
    assert kinds(active.items[1]) == [("role", "splinter")]


def test_a_label_separated_by_a_non_breaking_space() -> None:
    leader = KARSK.field("leaders")
    assert leader is not None
    assert (leader.label, texts(KARSK, "leaders")) == ("Leader", ["Colonel Arvid Brenn"])
    assert leader.items[0].line == f"Leader{NBSP}Colonel Arvid Brenn[2]"


def test_bullets_under_a_label_with_a_grandchild() -> None:
    opponents = STARS.field("opponents")
    assert opponents is not None
    assert [o.text for o in opponents.items] == [
        "Norvessan Armed Forces",
        "Qasr el-Hadid Battalion",
        "Order of the Black Lantern",
    ]
    (company,) = opponents.items[1].children
    assert company.text == "Iron Gate Company"
    assert kinds(company) == [("affiliation", "Qasr el-Hadid Battalion")]


def test_multi_line_fields_in_a_fictional_article() -> None:
    assert texts(HERON, "active_regions") == ["Halvard Province", "Tiel Valley"]
    assert texts(HERON, "ideology") == ["Norvessan federalism", "Agrarian populism"]
    assert texts(KARSK, "battles_and_wars") == ["Norvessan Civil War", "Karsk offensive"]


def test_a_field_after_a_stray_caption_is_still_read() -> None:
    assert texts(STARS, "part_of") == ["Southern Coastal Council"]
    assert [u.text for u in STARS.uninterpreted] == ["Southern Norvessan militias"]


def test_odd_lines_of_the_fictional_articles_are_reported() -> None:
    assert [(u.text, u.reason) for u in HERON.uninterpreted] == [
        ("EmblemA grey heron on a silver field", "unknown infobox label 'Emblem'"),
        (
            "Northern Norvessan insurgent groups",
            "short line standing alone: an empty section or a caption",
        ),
    ]
    assert [u.text for u in KARSK.uninterpreted] == ["Radio callsignKestrel-9"]


def test_a_missing_history_and_works_cited_section() -> None:
    assert [s.heading for s in KARSK.sections] == ["Activities", "References"]
    assert KARSK.works_cited == ()
    assert [s.heading for s in STARS.sections] == [
        "Background",
        "History",
        "References",
        "Works cited",
    ]


def test_dated_history_sentences_are_found() -> None:
    texts_ = [s.text for s in HERON.sentences() if s.section == "History"]
    assert texts_[3].startswith("In March 2016, the brigade captured")


def test_a_quote_inside_a_sentence_is_not_split() -> None:
    sentence = [s for s in STARS.sentences() if s.section == "History"][3]
    assert sentence.text.endswith('"a quarrel over fishing rights, not faith."[11]')
    assert sentence.markers == (7, 11)


def test_the_same_work_cited_twice_in_a_fictional_article_shares_a_key() -> None:
    assert work_key(HERON.references[0]) == work_key(HERON.references[12])


def test_the_same_reference_in_two_articles_shares_a_key() -> None:
    assert work_key(HERON.references[4]) == work_key(STARS.references[4])


def test_each_fictional_article_has_eight_to_fifteen_references() -> None:
    for article in (HERON, STARS, KARSK):
        assert 8 <= len(article.references) <= 15


def test_two_fictional_articles_name_the_same_allies_and_opponents_in_variants() -> None:
    assert "al-Sarab Brigade" in texts(HERON, "allies")
    assert "Al Sarab Brigade" in texts(STARS, "allies")
    assert "Tiel Valley Defence Force" in texts(HERON, "allies")
    assert "TVDF" in texts(STARS, "allies")
    assert any("Tiel Valley Defence Force (TVDF)" in s.text for s in HERON.sentences())
    assert "Qasr al-Hadid Battalion" in texts(HERON, "opponents")
    assert "Qasr el-Hadid Battalion" in texts(STARS, "opponents")
    shared = {"Norvessan Armed Forces", "Order of the Black Lantern"}
    assert shared <= set(texts(HERON, "opponents")) & set(texts(STARS, "opponents"))
