"""Dates as written in articles, as EDTF, and as the earliest and latest days they allow.

A span has a start and an end, each an EDTF string (or None when unknown, or ``..`` for an open
end) with a lower and an upper bound day. A single date is a span whose start and end are the same.
Unknown bounds are None: a None lower bound could be any time before, a None upper bound any time
after. An open end ("present") has both end bounds at ``date.max``.
"""

import calendar
import re
import time
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import edtf

OPEN = ".."


@dataclass(frozen=True)
class TimeSpan:
    """A date or period: the text as written, start and end as EDTF, and their bound days."""

    text: str | None
    start_edtf: str | None
    end_edtf: str | None
    start_lower: date | None
    start_upper: date | None
    end_lower: date | None
    end_upper: date | None

    def is_possible_on(self, day: date) -> bool:
        """Whether the bounds allow the span to cover ``day``."""
        started = self.start_lower is None or self.start_lower <= day
        not_ended = self.end_upper is None or self.end_upper >= day
        return started and not_ended

    def is_certain_on(self, day: date) -> bool:
        """Whether the bounds require the span to cover ``day``."""
        if self.start_upper is None or self.end_lower is None:
            return False
        return self.start_upper <= day <= self.end_lower


class DateParseError(ValueError):
    """A date that is not valid EDTF, not understood as written, or impossible."""


# -- EDTF -------------------------------------------------------------------------------------

_INTERVALS = (edtf.Interval, edtf.Level1Interval, edtf.Level2Interval)


def _day(moment: object) -> date | None:
    # The package gives infinities and years outside 1..9999 for unknown bounds.
    if not isinstance(moment, time.struct_time) or not 1 <= moment.tm_year <= 9999:
        return None
    try:
        day = date(moment.tm_year, moment.tm_mon, moment.tm_mday)
    except ValueError as error:
        raise DateParseError(f"no such day: {error}") from error
    return None if day == date.max else day


def _bounds(value: str | None, *, start: bool) -> tuple[date | None, date | None]:
    if value is None:
        return None, None
    if value == OPEN:
        return (date.min, date.min) if start else (date.max, date.max)
    return _calendar_bounds(value) or _edtf_bounds(value)


_CALENDAR = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _calendar_bounds(value: str) -> tuple[date | None, date | None] | None:
    """A plain year, month or day's first and last day, as the EDTF package gives them.

    Most dates are plain, and parsing them with the package's grammar costs tens of
    milliseconds each (it was most of an as-of query's time); anything else, an impossible day
    included, is left to the package (None).
    """
    match = _CALENDAR.fullmatch(value)
    if match is None:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        if month is None:
            first, last = date(year, 1, 1), date(year, 12, 31)
        elif day is None:
            first = date(year, month, 1)
            last = date(year, month, calendar.monthrange(year, month)[1])
        else:
            first = last = date(year, month, day)
    except ValueError:  # year 0, month 13, 30 February: the package's own error
        return None
    if last == date.max:  # as _day: the last day there is bounds nothing
        return (None if first == date.max else first), None
    return first, last


@lru_cache(maxsize=4096)
def _edtf_bounds(value: str) -> tuple[date | None, date | None]:
    try:
        parsed = edtf.parse_edtf(value)
    # The package raises assorted exception types for malformed input, not only its own.
    except Exception as error:
        raise DateParseError(f"{value!r} is not a valid EDTF date") from error
    if isinstance(parsed, _INTERVALS):
        raise DateParseError(f"{value!r} is an interval; give its start and end separately")
    return _day(parsed.lower_strict()), _day(parsed.upper_strict())


def _span(text: str | None, start_edtf: str | None, end_edtf: str | None) -> TimeSpan:
    start_lower, start_upper = _bounds(start_edtf, start=True)
    end_lower, end_upper = _bounds(end_edtf, start=False)
    if start_lower is not None and end_upper is not None and start_lower > end_upper:
        raise DateParseError(f"{text or start_edtf!r} ends before it starts")
    return TimeSpan(
        text=text,
        start_edtf=start_edtf,
        end_edtf=end_edtf,
        start_lower=start_lower,
        start_upper=start_upper,
        end_lower=end_lower,
        end_upper=end_upper,
    )


def span_from_edtf(
    start_edtf: str | None, end_edtf: str | None = None, text: str | None = None
) -> TimeSpan:
    """The span from EDTF start and end (a single date when the end is omitted)."""
    return _span(text, start_edtf, start_edtf if end_edtf is None else end_edtf)


def parse_day(text: str) -> date:
    """The first day of a query date written ``2014``, ``2014-06`` or ``2014-06-15``."""
    if not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", text.strip()):
        raise DateParseError(f"{text!r} is not a date such as 2014, 2014-06 or 2014-06-15")
    day = span_from_edtf(text.strip()).start_lower
    if day is None:
        raise DateParseError(f"{text!r} has no first day")
    return day


# -- dates as written -------------------------------------------------------------------------

_MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)(?![\w])"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"\d{4}"
_APPROX = r"(?:circa|ca\.|c\.|c(?=\s)|about|around|approximately|approx\.|roughly)\s*"
_OPEN_END = r"(?:present|the\s+present(?:\s+day)?|ongoing|now|today)"
# EDTF sub-year groupings (level 2 seasons) that the edtf package bounds as written here.
_THIRDS = {
    "early": 37,
    "beginning": 37,
    "start": 37,
    "mid": 38,
    "middle": 38,
    "late": 39,
    "end": 39,
}
_SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23}
_HALVES = {"first": 40, "second": 41}
_QUARTERS = {"first": 33, "second": 34, "third": 35, "fourth": 36}
_PART = r"(?:the\s+)?(early|beginning|start|mid|middle|late|end)(?:\s+of)?"


@dataclass
class _Point:
    year: int | None = None
    month: int | None = None
    day: int | None = None
    code: int | None = None
    second_year: int | None = None
    decade: bool = False
    approximate: bool = False
    uncertain: bool = False
    short_year: int | None = None

    def edtf(self) -> str:
        if self.year is None:
            raise DateParseError("a date needs a year")
        if not 1 <= self.year <= 9999:
            raise DateParseError(f"year {self.year} is out of range")
        qualifier = ("%" if self.uncertain else "~") if self.approximate else ""
        qualifier = qualifier or ("?" if self.uncertain else "")
        if self.second_year is not None:
            return f"[{self.year:04d}{qualifier},{self.second_year:04d}{qualifier}]"
        if self.decade:
            return f"{self.year // 10:03d}X{qualifier}"
        if self.code is not None:
            # EDTF cannot qualify a season; the text keeps the "circa".
            return f"{self.year:04d}-{self.code}"
        if self.month is None:
            return f"{self.year:04d}{qualifier}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}{qualifier}"
        try:
            date(self.year, self.month, self.day)
        except ValueError as error:
            raise DateParseError(f"no such day: {error}") from error
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}{qualifier}"


def _month(name: str) -> int:
    return _MONTH_NUMBERS[name.rstrip(".").lower()[:3]]


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _point_patterns() -> list[tuple[re.Pattern[str], str]]:
    patterns = [
        (rf"({_YEAR})-(\d{{2}})(?:-(\d{{2}}))?", "iso"),
        (rf"({_DAY})(?:\s+of)?\s+({_MONTH})(?:,?\s+({_YEAR}))?", "day_month"),
        (rf"({_MONTH})\s+({_DAY})(?:,?\s+({_YEAR}))?", "month_day"),
        (rf"{_PART}[\s-]*(?:({_MONTH})(?:\s+of)?\s*)?({_YEAR})?", "part"),
        (rf"(?:the\s+)?(spring|summer|autumn|fall)(?:\s+of)?\s+({_YEAR})", "season"),
        (rf"(?:the\s+)?(first|second)\s+half\s+of\s+({_YEAR})", "half"),
        (rf"(?:the\s+)?(first|second|third|fourth)\s+quarter\s+of\s+({_YEAR})", "quarter"),
        (rf"({_MONTH})(?:\s+of)?(?:\s+({_YEAR}))?", "month"),
        (rf"({_YEAR})\s*/\s*(\d{{4}}|\d{{2}})", "year_set"),
        (r"(?:the\s+)?(\d{3})0s", "decade"),
        (rf"({_YEAR})", "year"),
        (rf"({_DAY})", "day"),
        (r"(\d{2})", "short_year"),
    ]
    return [(re.compile(pattern, re.IGNORECASE), kind) for pattern, kind in patterns]


_POINT_PATTERNS = _point_patterns()


def _parse_point(text: str) -> _Point:
    body = text.strip()
    approximate = uncertain = False
    approx = re.match(_APPROX, body, re.IGNORECASE)
    if approx:
        approximate, body = True, body[approx.end() :]
    if body.endswith("?"):
        uncertain, body = True, body[:-1].rstrip()
    for pattern, kind in _POINT_PATTERNS:
        match = pattern.fullmatch(body)
        if match is None:
            continue
        point = _point_from(kind, match.groups())
        if point is not None:
            point.approximate, point.uncertain = approximate, uncertain
            return point
    raise DateParseError(f"{text!r} is not a date")


def _point_from(kind: str, groups: tuple[str | None, ...]) -> _Point | None:
    def year(index: int) -> int | None:
        value = groups[index]
        return int(value) if value else None

    if kind == "iso":
        day = groups[2]
        return _Point(year(0), int(groups[1] or 0), int(day) if day else None)
    if kind == "day_month":
        return _Point(year(2), _month(groups[1] or ""), _number(groups[0] or ""))
    if kind == "month_day":
        return _Point(year(2), _month(groups[0] or ""), _number(groups[1] or ""))
    if kind == "part":
        part = (groups[0] or "").lower()
        if groups[1] is None and groups[2] is None:
            return None
        if groups[1] is not None:
            # EDTF has no part of a month: the whole month bounds it.
            return _Point(year(2), _month(groups[1]))
        return _Point(year(2), code=_THIRDS[part])
    if kind == "season":
        return _Point(year(1), code=_SEASONS[(groups[0] or "").lower()])
    if kind == "half":
        return _Point(year(1), code=_HALVES[(groups[0] or "").lower()])
    if kind == "quarter":
        return _Point(year(1), code=_QUARTERS[(groups[0] or "").lower()])
    if kind == "month":
        return _Point(year(1), _month(groups[0] or ""))
    if kind == "year_set":
        first = int(groups[0] or 0)
        written = groups[1] or ""
        second = first // 100 * 100 + int(written) if len(written) == 2 else int(written)
        return _Point(first, second_year=second) if second == first + 1 else None
    if kind == "decade":
        return _Point(int(groups[0] or 0) * 10, decade=True)
    if kind == "year":
        return _Point(year(0))
    if kind == "day":
        return _Point(day=_number(groups[0] or ""))
    return _Point(short_year=int(groups[0] or 0))


def _complete(point: _Point, other: _Point | None, default_year: int | None) -> _Point:
    if point.short_year is not None:
        if other is None or other.year is None:
            raise DateParseError("a two-digit year needs a full year before it")
        point.year = other.year // 100 * 100 + point.short_year
    if point.day is not None and point.month is None:
        if other is None or other.month is None:
            raise DateParseError("a day needs a month")
        point.month = other.month
    if point.year is None and other is not None and other.month is not None:
        point.year = other.year
    if point.year is None:
        point.year = default_year
    return point


def _clean(text: str) -> str:
    cleaned = re.sub(r"\[[^\]]*\]", "", text)
    cleaned = re.sub(r"[\s\u00a0\u2009\u202f]+", " ", cleaned).strip()
    while cleaned.startswith("(") and cleaned.endswith(")"):
        cleaned = cleaned[1:-1].strip()
    return cleaned.rstrip(".,;: ")


_SEPARATOR = re.compile(
    r"\s*[–—]\s*|\s+-\s+|(?<=\d{4})-(?=\d{4}\b)|\s+(?:to|until|till|through)\s+", re.IGNORECASE
)


def _interval(
    left: str, right: str, default_year: int | None
) -> tuple[str | None, str | None] | None:
    # A split that does not read as two dates is not the right split: the caller tries the next.
    try:
        start = _parse_point(left)
        if re.fullmatch(_OPEN_END, right, re.IGNORECASE):
            return _complete(start, None, default_year).edtf(), OPEN
        end = _parse_point(right)
        if re.fullmatch(r"\d{2}", right) and start.year is not None and start.month is None:
            end = _Point(short_year=int(right))
        if start.short_year is not None or (end.day is not None and end.month is None):
            return None
        end = _complete(end, start if end.short_year is not None else None, None)
        start = _complete(start, end, default_year)
        if end.year is None:
            end.year = start.year if end.month is not None and start.year else default_year
        return start.edtf(), end.edtf()
    except DateParseError:
        return None


def _split_interval(text: str, default_year: int | None) -> tuple[str | None, str | None] | None:
    between = re.fullmatch(r"between\s+(.+?)\s+and\s+(.+)", text, re.IGNORECASE)
    if between:
        return _interval(between.group(1), between.group(2), default_year)
    for separator in _SEPARATOR.finditer(text):
        left, right = text[: separator.start()], text[separator.end() :]
        if left and right:
            found = _interval(left, right, default_year)
            if found is not None:
                return found
    return None


def _single(text: str, default_year: int | None) -> str:
    point = _parse_point(text)
    if point.short_year is not None or (point.day is not None and point.month is None):
        raise DateParseError(f"{text!r} is not a date")
    return _complete(point, None, default_year).edtf()


def parse_written(text: str, default_year: int | None = None) -> TimeSpan:
    """The span an English date or period as written means (``default_year`` fills a lone month)."""
    written = text.strip()
    cleaned = _clean(text)
    while True:
        located = re.fullmatch(r"(?:in|on|during|by|at|as\s+of)\s+(.+)", cleaned, re.IGNORECASE)
        if located is None:
            break
        cleaned = located.group(1)
    if not cleaned:
        raise DateParseError("no date given")
    since = re.fullmatch(r"(?:from|since|starting(?:\s+in)?)\s+(.+)", cleaned, re.IGNORECASE)
    if since:
        found = _split_interval(since.group(1), default_year)
        if found is not None:
            return _span(written, *found)
        return _span(written, _single(since.group(1), default_year), None)
    until = re.fullmatch(r"(?:until|till|up\s+to|through)\s+(.+)", cleaned, re.IGNORECASE)
    if until:
        return _span(written, None, _single(until.group(1), default_year))
    found = _split_interval(cleaned, default_year)
    if found is not None:
        return _span(written, *found)
    single = _single(cleaned, default_year)
    return _span(written, single, single)


# -- dates in sentences -----------------------------------------------------------------------

_FIND_YEAR = r"(?<![\d,.])(?:1[5-9]\d\d|2[01]\d\d)(?![\d%]|,\d|\s*percent)"
_FIND_APPROX = r"(?i:circa|ca\.|c\.)\s*"
_FIND_PART = r"(?i:(?:the\s+)?(?:early|beginning|start|mid|middle|late|end)(?:\s+of)?)[\s-]*"
_STRONG = (
    rf"(?:{_FIND_APPROX})?(?:"
    rf"{_FIND_YEAR}-\d{{2}}(?:-\d{{2}})?(?!\d)"
    rf"|{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_FIND_YEAR}"
    rf"|{_MONTH}\s+{_DAY},?\s+{_FIND_YEAR}"
    rf"|{_FIND_PART}(?:{_MONTH}(?:\s+of)?\s+)?{_FIND_YEAR}"
    rf"|(?i:(?:the\s+)?(?:spring|summer|autumn|fall)(?:\s+of)?)\s+{_FIND_YEAR}"
    rf"|(?i:(?:the\s+)?(?:first|second)\s+half\s+of)\s+{_FIND_YEAR}"
    rf"|(?i:(?:the\s+)?(?:first|second|third|fourth)\s+quarter\s+of)\s+{_FIND_YEAR}"
    rf"|{_MONTH}(?:\s+of)?\s+{_FIND_YEAR}"
    rf"|{_FIND_YEAR}/(?:\d{{4}}|\d{{2}})(?!\d)"
    rf"|(?i:the\s+)?1[5-9]\d0s|(?i:the\s+)?2[01]\d0s"
    rf")"
)
_WEAK = rf"(?:{_DAY}(?:\s+of)?\s+{_MONTH}|{_MONTH}\s+{_DAY}(?!\d)|{_MONTH}|{_FIND_YEAR})"
_APPROX_YEAR = rf"{_FIND_APPROX}{_FIND_YEAR}"
_ANY = rf"(?:{_STRONG}|{_APPROX_YEAR}|{_WEAK})"
_FIND_SEPARATOR = r"(?:\s*[–—]\s*|\s+-\s+|\s+(?i:to|until|till|through)\s+)"
_RANGE = (
    rf"(?:{_ANY}|{_DAY}){_FIND_SEPARATOR}(?:{_ANY}|(?i:{_OPEN_END}))"
    rf"|{_FIND_YEAR}(?:\s*[–—]\s*|/)\d{{2}}(?!\d)|{_FIND_YEAR}-{_FIND_YEAR}"
)
_FIND = re.compile(
    rf"(?<![\w-])(?:"
    rf"(?i:in|on|during|by|as\s+of)\s+(?P<located>{_RANGE}|{_ANY})"
    rf"|(?P<since>(?i:from|since)\s+(?:{_RANGE}|{_ANY}))"
    rf"|(?P<until>(?i:until|till|up\s+to)\s+{_ANY})"
    rf"|(?P<between>(?i:between)\s+{_ANY}\s+and\s+{_ANY})"
    rf"|(?P<range>{_RANGE})"
    rf"|(?P<strong>{_STRONG}|{_APPROX_YEAR})"
    rf"|\((?P<bracketed>{_ANY})\)"
    rf")(?![\w])"
)


def find_dates(sentence: str, default_year: int | None = None) -> list[tuple[str, TimeSpan]]:
    """Every date expression in a sentence, in order, as its matched text and its span."""
    found: list[tuple[str, TimeSpan]] = []
    year = default_year
    for match in _FIND.finditer(sentence):
        written = next(value for value in match.groupdict().values() if value is not None)
        try:
            span = parse_written(written, default_year=year)
        except DateParseError:
            continue
        found.append((written, span))
        # "from April 2018 ... in May": a lone month takes the year of the date before it.
        if span.start_lower is not None and span.start_lower != date.min:
            year = span.start_lower.year
    return found
