"""Dates as written, as EDTF, and as bound days: the one date module of the project."""

from datetime import date

import pytest

from app import dates
from app.dates import (
    DateParseError,
    TimeSpan,
    find_dates,
    parse_day,
    parse_written,
    span_from_edtf,
)


def bounds(span: TimeSpan) -> tuple[date | None, date | None, date | None, date | None]:
    return span.start_lower, span.start_upper, span.end_lower, span.end_upper


# -- span_from_edtf ---------------------------------------------------------------------------


def test_a_single_date_is_a_span_whose_start_and_end_are_that_date() -> None:
    span = span_from_edtf("2015-04")
    assert (span.start_edtf, span.end_edtf) == ("2015-04", "2015-04")
    assert bounds(span) == (
        date(2015, 4, 1),
        date(2015, 4, 30),
        date(2015, 4, 1),
        date(2015, 4, 30),
    )


def test_an_interval_takes_start_bounds_from_the_start_and_end_bounds_from_the_end() -> None:
    span = span_from_edtf("2012", "2015")
    assert bounds(span) == (
        date(2012, 1, 1),
        date(2012, 12, 31),
        date(2015, 1, 1),
        date(2015, 12, 31),
    )


def test_an_open_end_has_both_end_bounds_at_date_max() -> None:
    span = span_from_edtf("2015", "..")
    assert span.end_edtf == ".."
    assert (span.end_lower, span.end_upper) == (date.max, date.max)


def test_an_unknown_start_has_no_start_bounds() -> None:
    span = span_from_edtf(None, "2015")
    assert (span.start_edtf, span.start_lower, span.start_upper) == (None, None, None)
    assert span.end_upper == date(2015, 12, 31)


def test_the_text_as_written_is_kept() -> None:
    assert span_from_edtf("2015", text="(2015)").text == "(2015)"


@pytest.mark.parametrize(
    ("edtf", "lower", "upper"),
    [
        ("2015", date(2015, 1, 1), date(2015, 12, 31)),
        ("2017-12-08", date(2017, 12, 8), date(2017, 12, 8)),
        ("[2012,2013]", date(2012, 1, 1), date(2013, 12, 31)),
        ("2012~", date(2012, 1, 1), date(2012, 12, 31)),
        ("2015-37", date(2015, 1, 1), date(2015, 4, 30)),
        ("2015-38", date(2015, 5, 1), date(2015, 8, 31)),
        ("2015-39", date(2015, 9, 1), date(2015, 12, 31)),
        ("2015-21", date(2015, 3, 1), date(2015, 5, 31)),
        ("2015-40", date(2015, 1, 1), date(2015, 6, 30)),
        ("201X", date(2010, 1, 1), date(2019, 12, 31)),
    ],
)
def test_bounds_are_the_strict_bounds_the_edtf_package_gives(
    edtf: str, lower: date, upper: date
) -> None:
    span = span_from_edtf(edtf)
    assert (span.start_lower, span.end_upper) == (lower, upper)


@pytest.mark.parametrize(
    "edtf", ["2015-13", "2015-02-31", "2015-02-29", "April 2015", "", "2012/2015"]
)
def test_invalid_or_impossible_edtf_is_refused(edtf: str) -> None:
    with pytest.raises(DateParseError):
        span_from_edtf(edtf)


def test_a_span_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(DateParseError):
        span_from_edtf("2015", "2012")


def test_date_parse_error_is_a_value_error() -> None:
    assert issubclass(DateParseError, ValueError)


# -- is_possible_on / is_certain_on -----------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "possible", "certain"),
    [
        (date(2015, 3, 31), False, False),
        (date(2015, 4, 1), True, False),
        (date(2015, 4, 30), True, False),
        (date(2015, 5, 1), False, False),
    ],
)
def test_a_month_is_possible_on_each_of_its_days_and_certain_on_none(
    day: date, possible: bool, certain: bool
) -> None:
    span = span_from_edtf("2015-04")
    assert (span.is_possible_on(day), span.is_certain_on(day)) == (possible, certain)


def test_an_exact_day_is_certain_on_that_day() -> None:
    assert span_from_edtf("2017-12-08").is_certain_on(date(2017, 12, 8))


@pytest.mark.parametrize(
    ("day", "possible", "certain"),
    [
        (date(2011, 12, 31), False, False),
        (date(2012, 6, 1), True, False),
        (date(2013, 6, 1), True, True),
        (date(2015, 6, 1), True, False),
        (date(2016, 1, 1), False, False),
    ],
)
def test_an_interval_is_certain_between_the_latest_start_and_the_earliest_end(
    day: date, possible: bool, certain: bool
) -> None:
    span = span_from_edtf("2012", "2015")
    assert (span.is_possible_on(day), span.is_certain_on(day)) == (possible, certain)


def test_an_open_end_is_certain_on_any_later_day() -> None:
    span = span_from_edtf("2015", "..")
    assert span.is_certain_on(date(2030, 1, 1))
    assert span.is_possible_on(date(2030, 1, 1))


def test_an_unknown_end_is_possible_on_any_later_day_but_never_certain() -> None:
    span = parse_written("from April 2018")
    assert span.is_possible_on(date(2030, 1, 1))
    assert not span.is_certain_on(date(2018, 5, 1))


def test_an_unknown_start_is_possible_on_any_earlier_day_but_never_certain() -> None:
    span = parse_written("until May 2015")
    assert span.is_possible_on(date(1990, 1, 1))
    assert not span.is_certain_on(date(2015, 5, 1))


# -- parse_written ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2015", "2015", "2015"),
        ("(2015)", "2015", "2015"),
        ("2012/13", "[2012,2013]", "[2012,2013]"),
        ("c. 2012", "2012~", "2012~"),
        ("circa 2012", "2012~", "2012~"),
        ("about April 2015", "2015-04~", "2015-04~"),
        ("April 2015", "2015-04", "2015-04"),
        ("September 2013", "2013-09", "2013-09"),
        ("Dec. 2015", "2015-12", "2015-12"),
        ("8 December 2017", "2017-12-08", "2017-12-08"),
        ("8th of December 2017", "2017-12-08", "2017-12-08"),
        ("December 8, 2017", "2017-12-08", "2017-12-08"),
        ("2017-12-08", "2017-12-08", "2017-12-08"),
        ("2017-12", "2017-12", "2017-12"),
        ("early 2015", "2015-37", "2015-37"),
        ("mid-2015", "2015-38", "2015-38"),
        ("late 2015", "2015-39", "2015-39"),
        ("the end of 2015", "2015-39", "2015-39"),
        ("early April 2015", "2015-04", "2015-04"),
        ("spring 2016", "2016-21", "2016-21"),
        ("the first half of 2015", "2015-40", "2015-40"),
        ("the 1990s", "199X", "199X"),
        ("2015?", "2015?", "2015?"),
        ("in April 2015", "2015-04", "2015-04"),
    ],
)
def test_a_single_date_as_written(text: str, start: str, end: str) -> None:
    span = parse_written(text)
    assert (span.start_edtf, span.end_edtf) == (start, end)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("c. 2012/13 – 2015", "[2012~,2013~]", "2015"),
        ("2015 – present", "2015", ".."),
        ("2014 – ongoing", "2014", ".."),
        ("2012 - 2015", "2012", "2015"),
        ("2012-2015", "2012", "2015"),
        ("2012–13", "2012", "2013"),
        ("2012 to 2015", "2012", "2015"),
        ("between 2012 and 2015", "2012", "2015"),
        ("from 2013 to 2015", "2013", "2015"),
        ("April – June 2015", "2015-04", "2015-06"),
        ("8–10 December 2017", "2017-12-08", "2017-12-10"),
        ("December 2014 – January 2015", "2014-12", "2015-01"),
        ("from April 2018", "2018-04", None),
        ("since 2016", "2016", None),
        ("until May 2015", None, "2015-05"),
    ],
)
def test_a_period_as_written(text: str, start: str | None, end: str | None) -> None:
    span = parse_written(text)
    assert (span.start_edtf, span.end_edtf) == (start, end)


def test_c_2012_13_to_2015_has_the_bounds_of_both_candidate_start_years() -> None:
    span = parse_written("c. 2012/13 – 2015")
    assert bounds(span) == (
        date(2012, 1, 1),
        date(2013, 12, 31),
        date(2015, 1, 1),
        date(2015, 12, 31),
    )


def test_present_gives_an_open_end() -> None:
    span = parse_written("2015 – present")
    assert (span.end_edtf, span.end_lower, span.end_upper) == ("..", date.max, date.max)


def test_from_gives_an_unknown_end() -> None:
    span = parse_written("from April 2018")
    assert (span.end_edtf, span.end_lower, span.end_upper) == (None, None, None)


def test_until_gives_an_unknown_start() -> None:
    span = parse_written("until May 2015")
    assert (span.start_edtf, span.start_lower, span.start_upper) == (None, None, None)


def test_early_2015_is_the_first_four_months() -> None:
    span = parse_written("In early 2015")
    assert (span.start_lower, span.end_upper) == (date(2015, 1, 1), date(2015, 4, 30))


def test_a_month_without_a_year_takes_the_default_year() -> None:
    assert parse_written("in May", default_year=2018).start_edtf == "2018-05"


def test_a_month_without_a_year_and_no_default_is_refused() -> None:
    with pytest.raises(DateParseError):
        parse_written("in May")


def test_the_text_as_written_is_kept_on_the_span() -> None:
    assert parse_written(" c. 2012/13 – 2015 ").text == "c. 2012/13 – 2015"


@pytest.mark.parametrize(
    "text", ["31 February 2015", "29 February 2015", "2015-02-30", "31 April 2016"]
)
def test_an_impossible_day_is_refused(text: str) -> None:
    with pytest.raises(DateParseError):
        parse_written(text)


def test_a_leap_day_is_accepted() -> None:
    assert parse_written("29 February 2016").start_lower == date(2016, 2, 29)


@pytest.mark.parametrize(
    "text", ["", "main group", "200", "90%", "160 fighters", "2015 – 2012", "the 13th"]
)
def test_what_is_not_a_date_is_refused(text: str) -> None:
    with pytest.raises(DateParseError):
        parse_written(text)


# -- find_dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("a rebel offensive in September 2013 which aimed", ["September 2013"]),
        ("battled the Islamic State in April 2015 and lost", ["April 2015"]),
        ("from government attacks from 2013.", ["from 2013"]),
        ("offers of reconciliation in January 2017, though", ["January 2017"]),
        ("In early 2015, amidst its political disintegration", ["early 2015"]),
        ("launched an offensive from April 2018, aiming", ["from April 2018"]),
        ("Despite the events of April 2015, a faction", ["April 2015"]),
        ("On 8 December 2017, its commander was dismissed", ["8 December 2017"]),
        ("active in 2012–2015 and again in 2019", ["2012–2015", "2019"]),
        ("the militia was raised in mid-2019 by", ["mid-2019"]),
        ("the offensive from 2020 to 2021.", ["from 2020 to 2021"]),
        ("the size (2015) is", ["2015"]),
        ("it held c. 2012 a small area", ["c. 2012"]),
    ],
)
def test_find_dates_finds_each_date_expression(sentence: str, found: list[str]) -> None:
    assert [text for text, _ in find_dates(sentence)] == found


def test_find_dates_returns_them_in_order_with_their_spans() -> None:
    found = find_dates("It rejected offers in January 2017, though it signed in October 2017.")
    assert [(text, span.start_edtf) for text, span in found] == [
        ("January 2017", "2017-01"),
        ("October 2017", "2017-10"),
    ]


def test_find_dates_reads_a_lone_month_with_the_default_year() -> None:
    found = find_dates("the insurgents yielded in May, and agreed", default_year=2018)
    assert [(text, span.start_edtf) for text, span in found] == [("May", "2018-05")]


def test_find_dates_reads_a_lone_month_with_the_year_of_the_date_before_it() -> None:
    found = find_dates("From April 2018 it fought, and the enemy withdrew in May.", 2017)
    assert [(text, span.start_edtf) for text, span in found] == [
        ("From April 2018", "2018-04"),
        ("May", "2018-05"),
    ]


def test_find_dates_skips_a_lone_month_without_a_default_year() -> None:
    assert find_dates("the insurgents yielded in May, and agreed") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "lost 90% of its territory in Yarmouk Camp.",
        "by then reduced to 160 fighters",
        "a force of 2,000 men",
        "about 2000 men",
        "Ban Ki-moon accused the group",
        "she may return",
        "the 1,200 fighters",
    ],
)
def test_find_dates_ignores_numbers_that_are_not_dates(sentence: str) -> None:
    assert find_dates(sentence) == []


# -- parse_day --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [("2014", date(2014, 1, 1)), ("2014-06", date(2014, 6, 1)), ("2014-06-15", date(2014, 6, 15))],
)
def test_parse_day_gives_the_first_day_of_the_period(text: str, day: date) -> None:
    assert parse_day(text) == day


@pytest.mark.parametrize("text", ["June 2014", "2014-13", "2014-02-30", "14", "2014~", "", ".."])
def test_parse_day_refuses_anything_else(text: str) -> None:
    with pytest.raises(DateParseError):
        parse_day(text)


@pytest.mark.parametrize(
    "value",
    [f"{year:04d}" for year in (0, 1, 4, 1900, 2000, 2014, 9998, 9999)]
    + [f"{year:04d}-{month:02d}" for year in (0, 4, 1900, 2014, 9999) for month in range(14)]
    + [
        f"{year:04d}-{month:02d}-{day:02d}"
        for year in (1900, 2000, 2014, 2016, 9999)
        for month in (1, 2, 4, 12)
        for day in (0, 1, 28, 29, 30, 31, 32)
    ],
)
def test_plain_dates_are_bounded_as_the_edtf_package_bounds_them(value: str) -> None:
    try:
        expected: object = dates._edtf_bounds.__wrapped__(value)
    except DateParseError:
        expected = DateParseError
    fast = dates._calendar_bounds(value)
    assert fast is None or fast == expected  # None: left to the package, errors included
    if expected is DateParseError:
        assert fast is None
