"""Read an encyclopedia article flattened to text: its names, infobox, prose, and references.

The format is that of a Wikipedia article about an armed group saved as plain text: a title line,
a lead paragraph, a flattened "militant organization" infobox whose labels are glued to their
values, sections under headings that stand alone between blank lines, a numbered reference list,
and a licence notice on the last line. The parser knows the format, not any one group: every line
ends up interpreted or listed in ``Article.uninterpreted`` with the reason.
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from app.dates import DateParseError, parse_written

QualifierKind = Literal["denied", "formerly", "date", "role", "affiliation", "note"]


@dataclass(frozen=True)
class Qualifier:
    """A parenthesised remark on an infobox value, such as "(denied by Hamas)" or "(2015)"."""

    raw: str
    kind: QualifierKind
    value: str | None


@dataclass(frozen=True)
class InfoboxItem:
    """One value of an infobox field, with its qualifiers, markers and the line it stands on."""

    text: str
    qualifiers: tuple[Qualifier, ...]
    markers: tuple[int, ...]
    line: str
    line_number: int
    children: tuple["InfoboxItem", ...] = ()


@dataclass(frozen=True)
class InfoboxField:
    """A labelled infobox field and its values."""

    label: str
    key: str
    items: tuple[InfoboxItem, ...]
    line_number: int


@dataclass(frozen=True)
class Sentence:
    """A sentence of prose as written (markers included) and without its reference markers."""

    text: str
    plain: str
    markers: tuple[int, ...]
    section: str
    paragraph: int
    index: int
    line_number: int


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of prose; ``index`` counts paragraphs from 0 within its section."""

    sentences: tuple[Sentence, ...]
    index: int
    line_number: int


@dataclass(frozen=True)
class Section:
    """The paragraphs under a heading."""

    heading: str
    paragraphs: tuple[Paragraph, ...]
    line_number: int


@dataclass(frozen=True)
class ShortCitation:
    """A reference to a work cited by author and year, such as "Lister (2015), p. 345."."""

    author: str
    year: str
    locator: str | None


@dataclass(frozen=True)
class Reference:
    """A numbered reference of the article, read into its parts."""

    number: int
    raw: str
    title: str | None
    translated_title: str | None
    language: str | None
    authors: tuple[str, ...]
    work: str | None
    published: str | None
    published_date: date | None
    archived_date: date | None
    retrieved_date: date | None
    format: str | None
    short_citation: ShortCitation | None
    line_number: int


@dataclass(frozen=True)
class WorkCited:
    """A work listed under "Works cited", the target of short citations."""

    key: str
    raw: str
    authors: tuple[str, ...]
    title: str | None
    year: str | None
    publisher: str | None
    place: str | None
    isbn: str | None
    line_number: int


@dataclass(frozen=True)
class UninterpretedLine:
    """A line the parser could not give a meaning to, and why."""

    line_number: int
    text: str
    reason: str


@dataclass(frozen=True)
class ArticleNames:
    """The names the article gives its subject: title, lead variants, native script, translation."""

    title: str
    bold_names: tuple[str, ...]
    native: str | None
    native_language: str | None
    romanized: str | None
    literal: str | None
    infobox_name: str | None
    infobox_native_name: str | None


@dataclass(frozen=True)
class Article:
    """A parsed article."""

    title: str
    lead: Paragraph | None
    names: ArticleNames
    infobox: tuple[InfoboxField, ...]
    sections: tuple[Section, ...]
    references: tuple[Reference, ...]
    works_cited: tuple[WorkCited, ...]
    license_notice: str | None
    uninterpreted: tuple[UninterpretedLine, ...]

    def field(self, key: str) -> InfoboxField | None:
        """The first infobox field with this key (or, failing that, this label)."""
        for candidate in self.infobox:
            if candidate.key == key:
                return candidate
        return next((f for f in self.infobox if _spaces(f.label) == key), None)

    def sentences(self) -> Iterator[Sentence]:
        """Every sentence of the lead and the prose sections, in article order."""
        if self.lead is not None:
            yield from self.lead.sentences
        for section in self.sections:
            for paragraph in section.paragraphs:
                yield from paragraph.sentences


# -- the format's vocabulary ------------------------------------------------------------------

LEAD_SECTION = "Lead"

# Labels of Wikipedia's "Infobox militant organization" (and close kin), with the canonical
# label each is filed under; the key is the canonical label in snake_case.
INFOBOX_LABELS: dict[str, str] = {
    "Leaders": "Leaders",
    "Leader": "Leaders",
    "Leader(s)": "Leaders",
    "Founding leader": "Founders",
    "Founding leaders": "Founders",
    "Founder": "Founders",
    "Founders": "Founders",
    "Founder(s)": "Founders",
    "Spiritual leader": "Spiritual leader",
    "Military leader": "Military leader",
    "Political leader": "Political leader",
    "Spokesperson": "Spokesperson",
    "Spokesman": "Spokesperson",
    "Commander": "Leaders",
    "Commanders": "Leaders",
    "Dates of operation": "Dates of operation",
    "Active": "Dates of operation",
    "Foundation": "Foundation",
    "Founded": "Foundation",
    "Dissolved": "Dissolution",
    "Dissolution": "Dissolution",
    "Country": "Country",
    "Countries": "Country",
    "Allegiance": "Allegiance",
    "Group(s)": "Groups",
    "Groups": "Groups",
    "Headquarters": "Headquarters",
    "Active regions": "Active regions",
    "Active region": "Active regions",
    "Area of operations": "Area of operations",
    "Area of operation": "Area of operations",
    "Ideology": "Ideology",
    "Ideologies": "Ideology",
    "Political position": "Political position",
    "Religion": "Religion",
    "Size": "Size",
    "Strength": "Size",
    "Part of": "Part of",
    "Allies": "Allies",
    "Ally": "Allies",
    "Opponents": "Opponents",
    "Opponent": "Opponents",
    "Opponent(s)": "Opponents",
    "Battles and wars": "Battles and wars",
    "Battles": "Battles and wars",
    "Wars": "Battles and wars",
    "Motives": "Motives",
    "Status": "Status",
    "Notable attacks": "Notable attacks",
    "Attacks": "Notable attacks",
    "Originated as": "Originated as",
    "Became": "Became",
    "Preceded by": "Preceded by",
    "Succeeded by": "Succeeded by",
    "Split from": "Split from",
    "Merged into": "Merged into",
    "Flag": "Flag",
    "Website": "Website",
    "Revenue": "Revenue",
    "Means of revenue": "Means of revenue",
    "Funding": "Means of revenue",
    "Type": "Type",
    "Colours": "Colours",
    "Colors": "Colours",
    "Anthem": "Anthem",
    "Slogan": "Slogan",
    "Motto": "Slogan",
    "Nickname(s)": "Nicknames",
    "Nicknames": "Nicknames",
    "Also known as": "Also known as",
    "Designated as a terrorist group by": "Designated as a terrorist group by",
    "Designated as terrorist group by": "Designated as a terrorist group by",
    "Partof": "Part of",
}
_LABELS_LONGEST_FIRST = sorted(INFOBOX_LABELS, key=len, reverse=True)

REFERENCE_HEADINGS = frozenset({"References", "Notes", "Citations", "Footnotes"})
WORKS_CITED_HEADINGS = frozenset({"Works cited", "Bibliography", "Sources", "Cited works"})
NAVIGATION_HEADINGS = frozenset({"See also", "External links", "Further reading"})
KNOWN_HEADINGS = (
    REFERENCE_HEADINGS
    | WORKS_CITED_HEADINGS
    | NAVIGATION_HEADINGS
    | {"History", "Background", "Notes and references", "Structure", "Organization"}
    | {"Organisation", "Ideology", "Leadership", "Activities", "Aftermath", "Legacy"}
)

LANGUAGES = {
    "Arabic": "ar",
    "Persian": "fa",
    "Kurdish": "ku",
    "Turkish": "tr",
    "Hebrew": "he",
    "Urdu": "ur",
    "Pashto": "ps",
    "Russian": "ru",
    "Ukrainian": "uk",
    "Serbian": "sr",
    "French": "fr",
    "Spanish": "es",
    "German": "de",
    "Somali": "so",
    "Amharic": "am",
    "English": "en",
}

LICENSE_PREFIX = "This article is issued from"
BULLETS = "•*·–-"
# Words after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    {"c", "ca", "lit", "p", "pp", "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "maj"}
    | {"capt", "sgt", "brig", "no", "vol", "ed", "eds", "approx", "fig", "jr", "sr", "vs", "al"}
    | {"cf", "e.g", "i.e"}
)
_MARKER = re.compile(r"\[(\d+)\]")
_ANY_MARKER = re.compile(r"\[(?:\d+|[a-z]|note \d+|nb \d+|citation needed)\]")
_NBSP = "\u00a0\u202f\u2009"


def _spaces(text: str) -> str:
    """The text with non-breaking and thin spaces as plain spaces."""
    return text.translate({ord(ch): " " for ch in _NBSP})


def _snake(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def _markers(text: str) -> tuple[int, ...]:
    return tuple(int(number) for number in _MARKER.findall(text))


def _without_markers(text: str) -> str:
    return re.sub(r"[ \t]{2,}", " ", _ANY_MARKER.sub("", text)).strip()


def _script(text: str) -> str | None:
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            if name.startswith("ARABIC"):
                return "Arab"
            if name.startswith("CYRILLIC"):
                return "Cyrl"
            if name.startswith("HEBREW"):
                return "Hebr"
    return None


def _is_latin(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and all(unicodedata.name(c, "").startswith("LATIN") for c in letters)


# -- lines and blocks -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    number: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()


def _blocks(lines: list[_Line]) -> list[list[_Line]]:
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        if line.stripped:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _match_label(text: str) -> tuple[str, str, str] | None:
    """The known label the line starts with, as written, its canonical form, and the rest."""
    normal = _spaces(text)
    for label in _LABELS_LONGEST_FIRST:
        if not normal.startswith(label):
            continue
        rest = text[len(label) :]
        if rest and rest[0].islower() and not re.match(r"(?:c\.|ca\.|circa\b|al-|el-)", rest):
            continue  # "Flagstaff" is a value, not the label "Flag"
        return text[: len(label)], INFOBOX_LABELS[label], rest.lstrip(" \t" + _NBSP)
    return None


_UNKNOWN_LABEL = re.compile(r"([A-Z][a-z]{3,}(?:[ \u00a0][a-z]+)*)(?=[A-Z0-9])")


def _is_bullet(text: str) -> bool:
    return bool(re.match(r"\s*[•*·]\s", text))


def _is_heading(block: list[_Line]) -> bool:
    if len(block) != 1:
        return False
    text = block[0].stripped
    if text in KNOWN_HEADINGS:
        return True
    return (
        len(text) <= 60
        and not _MARKER.search(text)
        and not re.search(r"[.!?:;,]$", text)
        and not _is_bullet(block[0].text)
        and not re.match(r"\d+\.\s", text)
        and _match_label(text) is None
    )


def _has_label(block: list[_Line]) -> bool:
    return any(_match_label(line.stripped) for line in block if not _is_bullet(line.text))


# -- infobox ----------------------------------------------------------------------------------

_ROLE = re.compile(
    r"(?:(?:main|remnant|splinter|breakaway|armed|military|political|youth|women's|"
    r"rump|core|local|regional|nominal)\s+)*"
    r"(?:group|faction|wing|branch|splinter|remnant|unit|cell|successor|predecessor)s?",
    re.IGNORECASE,
)
_AFFILIATION = (
    re.compile(r"(?P<name>.+?)[\s-]+affiliate(?:d)?", re.IGNORECASE),
    re.compile(r"(?:part of|affiliated with|affiliate of|under)\s+(?P<name>.+)", re.IGNORECASE),
)


def _qualifier(raw: str, parent: str | None) -> Qualifier:
    text = _spaces(raw).strip()
    denied = re.fullmatch(r"(?:denied|disputed)(?:\s+by\s+(?P<by>.+))?", text, re.IGNORECASE)
    if denied:
        return Qualifier(raw, "denied", denied.group("by"))
    formerly = re.fullmatch(r"(?:formerly|formally|former)(?:[,;]?\s+(?P<rest>.+))?", text, re.I)
    if formerly:
        return Qualifier(raw, "formerly", formerly.group("rest"))
    try:
        parse_written(text)
    except DateParseError:
        pass
    else:
        return Qualifier(raw, "date", text)
    if _ROLE.fullmatch(text):
        return Qualifier(raw, "role", text)
    for pattern in _AFFILIATION:
        affiliation = pattern.fullmatch(text)
        if affiliation:
            name = affiliation.group("name").strip()
            # "Palestinian Hezbollah affiliate" under "Hezbollah" names the parent item.
            if parent and (parent in name or name in parent):
                name = parent
            return Qualifier(raw, "affiliation", name)
    return Qualifier(raw, "note", None)


def _parentheticals(text: str) -> tuple[str, list[str]]:
    """The text outside top-level parentheses, and the contents of each group."""
    outside: list[str] = []
    groups: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char == "(":
            if depth:
                current.append(char)
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth:
                current.append(char)
            else:
                groups.append("".join(current).strip())
                current = []
        elif depth:
            current.append(char)
        else:
            outside.append(char)
    return re.sub(r"\s+", " ", "".join(outside)).strip(), groups


@dataclass
class _ItemBuilder:
    value: str
    line: _Line
    level: int
    children: list["_ItemBuilder"] = field(default_factory=list)

    def build(self, parent: str | None) -> InfoboxItem:
        bare = _without_markers(self.value)
        text, groups = _parentheticals(bare)
        item_text = text or bare
        return InfoboxItem(
            text=item_text,
            qualifiers=tuple(_qualifier(group, parent) for group in groups),
            markers=_markers(self.value),
            line=self.line.stripped,
            line_number=self.line.number,
            children=tuple(child.build(item_text) for child in self.children),
        )


@dataclass
class _FieldBuilder:
    label: str
    canonical: str
    line_number: int
    items: list[_ItemBuilder] = field(default_factory=list)
    stack: list[_ItemBuilder] = field(default_factory=list)

    def add(self, item: _ItemBuilder) -> None:
        while self.stack and self.stack[-1].level >= item.level:
            self.stack.pop()
        (self.stack[-1].children if self.stack else self.items).append(item)
        self.stack.append(item)

    def build(self) -> InfoboxField:
        return InfoboxField(
            label=self.label,
            key=_snake(self.canonical),
            items=tuple(item.build(None) for item in self.items),
            line_number=self.line_number,
        )


@dataclass
class _Infobox:
    fields: list[InfoboxField]
    name: str | None
    native_name: str | None


def _bullet_level(text: str) -> int:
    indent = len(text) - len(text.lstrip(" \t"))
    return max(1, indent // 2)


def _parse_infobox(blocks: list[list[_Line]], report: "_Report") -> _Infobox:
    fields: list[InfoboxField] = []
    current: _FieldBuilder | None = None
    name: str | None = None
    native_name: str | None = None
    started = False
    for block_index, block in enumerate(blocks):
        if block_index > 0 and not _has_label(block):
            for line in block:
                report.add(line, "stray line inside the infobox (a box caption or navigation)")
            continue
        for line in block:
            text = line.stripped
            bullet = _is_bullet(line.text)
            labelled = None if bullet else _match_label(text)
            if labelled is not None:
                started = True
                if current is not None:
                    fields.append(current.build())
                label, canonical, rest = labelled
                current = _FieldBuilder(label, canonical, line.number)
                report.interpreted(line)
                if rest:
                    current.add(_ItemBuilder(rest, line, 0))
                continue
            if not started:
                if name is None and block_index == 0 and line is block[0]:
                    name = text
                elif native_name is None and not _is_latin(text) and _script(text):
                    native_name = text
                else:
                    report.add(line, "line before the first infobox field")
                    continue
                report.interpreted(line)
                continue
            unknown = None if bullet else _UNKNOWN_LABEL.match(text)
            if unknown is not None:
                if current is not None:
                    fields.append(current.build())
                current = None
                report.add(line, f"unknown infobox label {unknown.group(1)!r}")
                continue
            if current is None:
                report.add(line, "continues an unknown infobox field")
                continue
            if bullet:
                value = re.sub(r"^\s*[•*·]\s*", "", line.text).strip()
                current.add(_ItemBuilder(value, line, _bullet_level(line.text)))
            else:
                current.add(_ItemBuilder(text, line, 0))
            report.interpreted(line)
    if current is not None:
        fields.append(current.build())
    return _Infobox(fields, name, native_name)


# -- prose ------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"([.!?])([\"”’')]*)((?:\[[^\]\s]{1,20}\])*)(\s+)(?=\S)")


def _inside_quotes(text: str) -> bool:
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


def split_sentences(text: str) -> list[str]:
    """The sentences of a paragraph, each keeping the reference markers that close it."""
    sentences: list[str] = []
    start = 0
    for end in _SENTENCE_END.finditer(text):
        following = text[end.end()]
        if not (following.isupper() or following.isdigit() or following in "\"“'‘(["):
            continue
        if end.group(1) == "." and not end.group(2) and not end.group(3):
            word = re.search(r"(\S+)$", text[start : end.start(1)])
            token = word.group(1).lstrip("(\"“'") if word else ""
            if token.lower() in ABBREVIATIONS or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Z]", token):
                continue
        if _inside_quotes(text[start : end.start(4)]):
            continue
        sentences.append(text[start : end.start(4)].strip())
        start = end.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


@dataclass
class _ProseBuilder:
    sentences: int = 0

    def paragraph(self, line: _Line, section: str, index: int) -> Paragraph:
        text = re.sub(r"^[•*·]\s*", "", line.stripped)
        sentences = []
        for sentence in split_sentences(text):
            sentences.append(
                Sentence(
                    text=sentence,
                    plain=_without_markers(sentence),
                    markers=_markers(sentence),
                    section=section,
                    paragraph=index,
                    index=self.sentences,
                    line_number=line.number,
                )
            )
            self.sentences += 1
        return Paragraph(tuple(sentences), index, line.number)


# -- lead names -------------------------------------------------------------------------------


def _lead_names(title: str, lead: Paragraph | None) -> ArticleNames:
    bold: list[str] = []
    native = language = romanized = literal = None
    if lead is not None and lead.sentences:
        first = lead.sentences[0].plain
        subject = re.match(r"(.+?)\s*(?=\(|,| is | was | are | were )", first)
        if subject:
            bold.extend(re.split(r",? or |, also known as |, also ", subject.group(1)))
        known_as = r"(?:also known as|also called|or simply)\s+(?:the\s+)?([A-Z][^,;()]+?)"
        bold.extend(re.findall(known_as + r"(?=[,;(]| is | was |$)", first))
        inside = re.search(r"\((.*?)\)\s*(?:is|was|are|were|,)", first)
        for part in _split_top_level(inside.group(1) if inside else ""):
            part = _spaces(part).strip()
            written_in = re.fullmatch(r"([A-Z][a-z]+(?: [A-Z][a-z]+)?):\s*(.+)", part)
            if part.startswith("romanized:"):
                romanized = part.split(":", 1)[1].strip()
            elif match := re.fullmatch(r"lit\.\s*[\"“'](.+?)[\"”']", part):
                literal = match.group(1)
            elif match := re.fullmatch(r"(?:also known as|also spelled|or)\s+(.+)", part):
                bold.append(match.group(1))
            elif re.fullmatch(r"[A-Z][A-Z0-9-]{1,7}", part):
                bold.append(part)  # an acronym such as "(KHM)"
            elif written_in and native is None:
                native = written_in.group(2).strip()
                language = LANGUAGES.get(written_in.group(1))
    names = (re.sub(r"^The\s+", "", name.strip()) for name in bold)
    variants = tuple(dict.fromkeys(name for name in names if name and name != title))
    return ArticleNames(
        title=title,
        bold_names=variants,
        native=native,
        native_language=language,
        romanized=romanized,
        literal=literal,
        infobox_name=None,
        infobox_native_name=None,
    )


def _split_top_level(text: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    quoted = False
    current: list[str] = []
    for char in text:
        if char in '"“”':
            quoted = not quoted if char == '"' else char == "“"
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char in ",;" and depth == 0 and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


# -- references -------------------------------------------------------------------------------

_LOCATOR = r"(?P<locator>(?:pp?\.|pages?\b|ch\.|chapter\b|§|para\.|loc\.)\s*\S.*?)"
_SHORT_CITATION = re.compile(
    rf"(?P<author>[^\"“(]+?)\s*\((?P<year>\d{{4}}[a-z]?|n\.d\.)\)(?:,\s*{_LOCATOR})?\.?"
)
_HARVARD = re.compile(rf"(?P<author>[A-Z][^\"“\d]+?)\s+(?P<year>\d{{4}}[a-z]?),\s*{_LOCATOR}\.?")


def _exact_day(text: str) -> date | None:
    try:
        span = parse_written(text)
    except DateParseError:
        return None
    if span.start_lower is not None and span.start_lower == span.end_upper:
        return span.start_lower
    return None


def _split_authors(text: str) -> tuple[str, ...]:
    text = _spaces(text).strip().rstrip(".")
    if not text:
        return ()
    if ";" in text:
        return tuple(part.strip() for part in text.split(";") if part.strip())
    parts = [part.strip() for part in re.split(r",\s*|\s+and\s+|\s*&\s*", text) if part.strip()]
    if len(parts) == 2 and "," in text and all(" " not in part for part in parts):
        return (text,)  # "Lister, Charles": one author, surname first
    return tuple(parts)


def _closing_quote(text: str) -> int:
    """Where the title that opens ``text`` with a quotation mark ends (its closing mark)."""
    for match in re.finditer(r"[\"”]", text[1:]):
        position = match.start() + 1
        after = text[position + 1 :]
        if not after or re.match(r"\.(?:\s|$)|\s[\[(]|,\s", after):
            return position
    return -1


def _segments(text: str) -> list[str]:
    segments: list[str] = []
    start = 0
    for stop in re.finditer(r"\.(?:\s+|$)", text):
        word = re.search(r"(\S+)$", text[start : stop.start()])
        token = word.group(1) if word else ""
        if token.lower() in ABBREVIATIONS or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Z]", token):
            continue
        segments.append(text[start : stop.start()].strip())
        start = stop.end()
    if text[start:].strip():
        segments.append(text[start:].strip())
    return [segment for segment in segments if segment]


def _language_of(text: str) -> str | None:
    named = re.search(r"\(in ([A-Z][a-z]+)\)", text)
    if named:
        return LANGUAGES.get(named.group(1))
    return None


def parse_reference(number: int, raw: str, line_number: int = 0) -> Reference:
    """One numbered reference read into title, authors, work, dates and format."""
    text = _spaces(raw).strip()
    title = translated = language = work = published = file_format = None
    published_date = archived = retrieved = None
    authors: tuple[str, ...] = ()
    short = None
    if '"' not in text and "“" not in text:
        cited = _SHORT_CITATION.fullmatch(text) or _HARVARD.fullmatch(text)
        if cited:
            short = ShortCitation(
                author=cited.group("author").strip(),
                year=cited.group("year"),
                locator=cited.group("locator"),
            )
    rest = text
    if short is None:
        byline = re.match(r"(?P<authors>[^\"“]+?)\s*\((?P<date>[^()]+)\)\.\s*(?=[\"“])", rest)
        if byline:
            authors = _split_authors(byline.group("authors"))
            published = byline.group("date").strip()
            rest = rest[byline.end() :]
        elif plain_byline := re.match(r"(?P<authors>[^\"“.]+)\.\s+(?=[\"“])", rest):
            authors = _split_authors(plain_byline.group("authors"))
            rest = rest[plain_byline.end() :]
        if rest[:1] in '"“':
            end = _closing_quote(rest)
            if end > 0:
                title = rest[1:end].strip()
                rest = rest[end + 1 :]
        translation = re.match(r"\s*\[(.*)\]", rest)
        if translation:
            translated = translation.group(1).strip()
            rest = rest[translation.end() :]
        while remark := re.match(r"\s*\(([^()]+)\)", rest):
            if remark.group(1).upper() in {"PDF", "DOC", "DOCX", "VIDEO", "MP4"}:
                file_format = remark.group(1).upper()
            language = language or _language_of(remark.group(0))
            rest = rest[remark.end() :]
        segments = _segments(rest.lstrip(". "))
        if title is None and segments:
            title = segments.pop(0)
        for segment in segments:
            archived_match = re.fullmatch(
                r"Archived(?: \((?P<format>\w+)\))? from the original on (?P<date>.+)", segment
            )
            retrieved_match = re.fullmatch(r"(?:Retrieved|Accessed)(?: on)? (?P<date>.+)", segment)
            if archived_match:
                archived = _exact_day(archived_match.group("date"))
                file_format = file_format or archived_match.group("format")
            elif retrieved_match:
                retrieved = _exact_day(retrieved_match.group("date"))
            elif published is None and _is_date(segment):
                published = segment
            elif work is None:
                language = language or _language_of(segment)
                work = re.sub(r"\s*\(in [A-Z][a-z]+\)", "", segment).strip() or None
        if published is not None:
            published_date = _exact_day(published)
        if language is None and title and _script(title) == "Arab":
            language = "ar"
    return Reference(
        number=number,
        raw=raw.strip(),
        title=title,
        translated_title=translated,
        language=language,
        authors=authors,
        work=work,
        published=published,
        published_date=published_date,
        archived_date=archived,
        retrieved_date=retrieved,
        format=file_format,
        short_citation=short,
        line_number=line_number,
    )


def _is_date(text: str) -> bool:
    try:
        parse_written(text)
    except DateParseError:
        return False
    return True


def _normal(text: str | None) -> str:
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return re.sub(r"[\W_]+", " ", folded).strip()


def work_key(ref: Reference) -> str:
    """A key that two references to the same work share: normalised title and work."""
    if ref.title is None and ref.short_citation is not None:
        return f"short:{_normal(ref.short_citation.author)}|{ref.short_citation.year}"
    return f"{_normal(ref.title or ref.raw)}|{_normal(ref.work)}"


def _surname(author: str) -> str:
    author = author.strip()
    if "," in author:
        return _normal(author.split(",")[0])
    words = author.split()
    return _normal(words[-1] if words else "")


def parse_work_cited(raw: str, line_number: int = 0) -> WorkCited:
    """One "Works cited" entry read into authors, year, title, place, publisher and ISBN."""
    text = _spaces(re.sub(r"^\s*[•*·]\s*", "", raw)).strip()
    authors: tuple[str, ...] = ()
    year = title = publisher = place = isbn = None
    rest = text
    byline = re.match(r"(?P<authors>[^()]+?)\s*\([^()]*?(?P<year>\d{4}[a-z]?)\)\.\s*", rest)
    if byline:
        authors = _split_authors(byline.group("authors"))
        year = byline.group("year")
        rest = rest[byline.end() :]
    isbn_match = re.search(r"ISBN[:\s]*([\dXx-]{10,17})", rest)
    if isbn_match:
        isbn = isbn_match.group(1)
        rest = rest[: isbn_match.start()] + rest[isbn_match.end() :]
    if rest[:1] in '"“':
        end = _closing_quote(rest)
        if end > 0:
            title, rest = rest[1:end].strip(), rest[end + 1 :]
    segments = _segments(rest.strip(" ."))
    if title is None and segments:
        title = segments.pop(0)
    for segment in segments:
        located = re.fullmatch(r"(?P<place>[^:]+):\s*(?P<publisher>.+)", segment)
        if publisher is None and located:
            place, publisher = located.group("place"), located.group("publisher")
        elif publisher is None:
            publisher = segment
    surname = _surname(authors[0]) if authors else _normal(title)[:20]
    key = re.sub(r"\s+", "-", f"{surname} {year or 'nd'}")
    return WorkCited(key, raw.strip(), authors, title, year, publisher, place, isbn, line_number)


def resolve_short_citation(article: Article, ref: Reference) -> WorkCited | None:
    """The work cited a short citation points to, by first author's surname and year."""
    short = ref.short_citation
    if short is None:
        return None
    first_author = re.split(r"\s*(?:&|\band\b|,|;)\s*", short.author)[0]
    wanted = _normal(first_author.split()[-1] if first_author.split() else "")
    for work in article.works_cited:
        if work.year == short.year and work.authors and _surname(work.authors[0]) == wanted:
            return work
    return None


# -- the article ------------------------------------------------------------------------------


@dataclass
class _Report:
    lines: dict[int, _Line]
    seen: set[int] = field(default_factory=set)
    uninterpreted: list[UninterpretedLine] = field(default_factory=list)

    def interpreted(self, line: _Line) -> None:
        self.seen.add(line.number)

    def add(self, line: _Line, reason: str) -> None:
        self.seen.add(line.number)
        self.uninterpreted.append(UninterpretedLine(line.number, line.stripped, reason))

    def rest(self) -> tuple[UninterpretedLine, ...]:
        for number, line in self.lines.items():
            if line.stripped and number not in self.seen:
                self.add(line, "not recognised")
        return tuple(sorted(self.uninterpreted, key=lambda line: line.line_number))


def _infobox_extent(blocks: list[list[_Line]]) -> tuple[int, int] | None:
    first = next((i for i, block in enumerate(blocks) if _has_label(block)), None)
    if first is None:
        return None
    last = first
    for index in range(first + 1, len(blocks)):
        block = blocks[index]
        # A label alone between blank lines ("Ideology") is a section heading, not a field.
        if _has_label(block) and not (len(block) == 1 and block[0].stripped in KNOWN_HEADINGS):
            last = index
        elif block[0].stripped in KNOWN_HEADINGS or not _is_heading(block):
            break
    return first, last


def parse_article(text: str) -> Article:
    """Parse a whole article of the format into its parts."""
    lines = [_Line(number, line) for number, line in enumerate(text.splitlines(), start=1)]
    report = _Report({line.number: line for line in lines})
    blocks = _blocks(lines)
    if not blocks:
        raise ValueError("the article is empty")
    title_line = blocks[0][0]
    title = title_line.stripped
    report.interpreted(title_line)
    for extra in blocks[0][1:]:
        report.add(extra, "line after the title")
    blocks = blocks[1:]

    license_notice = None
    if blocks and blocks[-1][-1].stripped.startswith(LICENSE_PREFIX):
        notice = blocks[-1].pop()
        license_notice = notice.stripped
        report.interpreted(notice)
        if not blocks[-1]:
            blocks.pop()

    extent = _infobox_extent(blocks)
    infobox = _Infobox([], None, None)
    if extent is not None:
        infobox = _parse_infobox(blocks[extent[0] : extent[1] + 1], report)
        blocks = blocks[: extent[0]] + blocks[extent[1] + 1 :]

    prose = _ProseBuilder()
    lead: Paragraph | None = None
    intro: list[Paragraph] = []
    sections: list[Section] = []
    references: list[Reference] = []
    works: list[WorkCited] = []
    heading: str | None = None
    heading_line = 0
    paragraphs: list[Paragraph] = []

    def close_section() -> None:
        # Reference and navigation sections are kept too (without paragraphs) as the outline.
        if heading is not None:
            sections.append(Section(heading, tuple(paragraphs), heading_line))

    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if _is_heading(block):
            line = block[0]
            stray = line.stripped not in KNOWN_HEADINGS and (
                following is None or _is_heading(following)
            )
            if stray:
                report.add(line, "short line standing alone: an empty section or a caption")
                continue
            close_section()
            heading, heading_line, paragraphs = line.stripped, line.number, []
            report.interpreted(line)
            continue
        for line in block:
            if heading in REFERENCE_HEADINGS:
                numbered = re.match(r"\s*(\d+)\.\s+(.*)", line.text)
                if numbered:
                    references.append(
                        parse_reference(int(numbered.group(1)), numbered.group(2), line.number)
                    )
                    report.interpreted(line)
                else:
                    report.add(line, f"line in {heading} that is not a numbered reference")
            elif heading in WORKS_CITED_HEADINGS:
                works.append(parse_work_cited(line.text, line.number))
                report.interpreted(line)
            elif heading in NAVIGATION_HEADINGS:
                report.add(line, f"{heading} entry (navigation, not interpreted)")
            elif heading is None:
                if lead is None:
                    lead = prose.paragraph(line, LEAD_SECTION, 0)
                else:
                    intro.append(prose.paragraph(line, LEAD_SECTION, len(intro) + 1))
                report.interpreted(line)
            else:
                paragraphs.append(prose.paragraph(line, heading, len(paragraphs)))
                report.interpreted(line)
    close_section()
    if intro:
        sections.insert(0, Section(LEAD_SECTION, tuple(intro), intro[0].line_number))

    names = _lead_names(title, lead)
    names = ArticleNames(
        title=names.title,
        bold_names=names.bold_names,
        native=names.native,
        native_language=names.native_language,
        romanized=names.romanized,
        literal=names.literal,
        infobox_name=infobox.name,
        infobox_native_name=infobox.native_name,
    )
    return Article(
        title=title,
        lead=lead,
        names=names,
        infobox=tuple(infobox.fields),
        sections=tuple(sections),
        references=tuple(references),
        works_cited=tuple(works),
        license_notice=license_notice,
        uninterpreted=report.rest(),
    )
