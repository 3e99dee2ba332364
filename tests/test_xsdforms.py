"""XSD's lexical forms (kgraph.xsdforms): what each takes and refuses, and that they take ASCII digits alone."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from kgraph import xsdforms

#: Valid lexical forms of each datatype the module has a form for.
VALID = {
    "decimal": ["-1.50", "+.5", "5.", "007"],
    "integer": ["-12", "+0", "99999999999999999999"],
    "double": ["1.5E-3", "-INF", "NaN", "inf", "+Infinity", "1."],
    "dateTime": ["2025-12-02T10:30:00.5Z", "-0044-03-15T24:00:00+14:00"],
    "date": ["2025-12-02", "12025-12-02-05:00"],
    "time": ["10:30:00", "23:59:59.999+01:00"],
    "duration": ["P1Y2M3DT4H5M6.7S", "-PT.5S", "PT5.S", "P0D"],
    "dayTimeDuration": ["P1DT2H", "PT90M"],
    "yearMonthDuration": ["P1Y2M", "-P14M"],
    "gYear": ["2025", "-0044", "12025Z", "2025+14:00"],
    "gYearMonth": ["2025-12", "2025-01-05:00"],
    "gMonthDay": ["--02-29", "--12-31Z"],
    "gDay": ["---01", "---31+01:00"],
    "gMonth": ["--12", "--01Z"],
}
INVALID = {
    "decimal": ["1e5", "NaN", " 1.5", "1_000", ".", ""],
    "integer": ["1.0", " 12", "1_000", "+", ""],
    "double": ["1e", "e3", "0x1p3", "1.5f", " 1", "INFINITE"],
    "dateTime": ["2025-12-02T10:30", "2025-12-02T10:30:00+15:00", "2025-12-02 10:30:00"],
    "date": ["2025-W49", "20251202", "2025-13-01", "25-12-02"],
    "time": ["10:30", "10:30:00.", "24:00:01"],
    "duration": ["P", "PT", "P1DT", "P1W", "PT1,5S", "PT.S", "1D"],
    "dayTimeDuration": ["P1Y", "P1M"],
    "yearMonthDuration": ["P1D", "PT1H"],
    "gYear": ["25", "0000-", "2025-12", "+2025", "2025+15:00"],
    "gYearMonth": ["2025-13", "2025-1", "2025"],
    "gMonthDay": ["--02-32", "-02-01", "--2-01"],
    "gDay": ["---32", "--01", "---00"],
    "gMonth": ["--13", "--00", "-12"],
}
FORMS = {**xsdforms.NUMBERS, **xsdforms.TEMPORALS, **xsdforms.GREGORIAN}


@pytest.mark.parametrize(("name", "lexical"), [(name, text) for name, texts in VALID.items() for text in texts])
def test_a_valid_form_is_taken_and_not_in_another_script_s_digits(name, lexical):
    form = re.compile(FORMS[name])
    assert form.fullmatch(lexical)
    if not re.search("[0-9]", lexical):
        return  # INF, NaN
    arabic_indic = lexical.translate({ord(digit): 0x0660 + int(digit) for digit in "0123456789"})
    fullwidth = lexical.translate({ord(digit): 0xFF10 + int(digit) for digit in "0123456789"})
    assert not form.fullmatch(arabic_indic)
    assert not form.fullmatch(fullwidth)


@pytest.mark.parametrize(("name", "lexical"), [(name, text) for name, texts in INVALID.items() for text in texts])
def test_a_form_xsd_does_not_have_is_refused(name, lexical):
    assert not re.fullmatch(FORMS[name], lexical)


def test_compiled_matches_the_whole_text_and_keeps_the_duration_s_groups():
    duration = xsdforms.compiled(xsdforms.DURATION)
    found = duration.match("-P1Y2M3DT4H5M6.5S")
    assert found is not None
    assert found.groups() == ("-", "1", "2", "3", "4", "5", "6.5")
    assert duration.match("P1D ") is None
    assert xsdforms.compiled(xsdforms.DOUBLE).match("1|") is None


def test_every_type_derived_from_xsd_integer_has_the_integer_form():
    assert {name for name, form in xsdforms.NUMBERS.items() if form == xsdforms.INTEGER} == set(xsdforms.INTEGER_TYPES)
    assert len(xsdforms.INTEGER_TYPES) == 13


@pytest.mark.parametrize(
    ("number", "written"),
    [
        ("4.40", "4.4"),
        ("3.0", "3"),
        ("-0.0", "0"),
        ("0", "0"),
        ("1E+2", "100"),
        ("-1.50", "-1.5"),
        ("0.0000001", "0.0000001"),
        ("123456789012345678901234567890.123456789", "123456789012345678901234567890.123456789"),
        ("-7E-3", "-0.007"),
    ],
)
def test_a_decimal_in_its_canonical_form_keeps_every_digit(number, written):
    from decimal import Decimal  # noqa: PLC0415

    assert xsdforms.canonical_decimal(Decimal(number)) == written


@pytest.mark.parametrize(
    ("months", "seconds", "written"),
    [
        (0, "5400", "PT1H30M"),
        (0, "-34560000", "-P400D"),
        (14, "0", "P1Y2M"),
        (1, "3600", "P1MT1H"),
        (0, "1.50", "PT1.5S"),
        (0, "0", "PT0S"),
        (0, "-0.0", "PT0S"),
        (0, "90061.123456789012345678901234567890", "P1DT1H1M1.12345678901234567890123456789S"),
        (-3, "0", "-P3M"),
    ],
)
def test_a_duration_in_its_canonical_form_keeps_every_digit_of_its_seconds(months, seconds, written):
    from decimal import Decimal  # noqa: PLC0415

    assert xsdforms.canonical_duration(months, Decimal(seconds), "PT0S") == written


@pytest.mark.parametrize(
    ("lexical", "written"),
    [
        ("2025-12-02T10:30:00.500+00:00", "2025-12-02T10:30:00.5Z"),
        ("2025-12-02T10:30:00.000-00:00", "2025-12-02T10:30:00Z"),
        ("10:30:00.0", "10:30:00"),
        ("2025-12-02+00:00", "2025-12-02Z"),
        ("2025-12-02T10:30:00.123456789+05:30", "2025-12-02T10:30:00.123456789+05:30"),
        ("2025", "2025"),
        ("2025-12-31T24:00:00Z", "2026-01-01T00:00:00Z"),
        ("2024-02-28T24:00:00.000+00:00", "2024-02-29T00:00:00Z"),
        ("2100-02-28T24:00:00", "2100-03-01T00:00:00"),
        ("2000-02-29T24:00:00-05:00", "2000-03-01T00:00:00-05:00"),
        ("-0001-12-31T24:00:00", "0000-01-01T00:00:00"),
        ("9999-12-31T24:00:00Z", "10000-01-01T00:00:00Z"),
        ("24:00:00.0+05:00", "00:00:00+05:00"),
        ("2025-02-30T24:00:00", "2025-02-30T24:00:00"),  # no day of the calendar: ill-typed, as written
    ],
)
def test_a_date_or_time_in_its_canonical_form_keeps_every_digit(lexical, written):
    assert xsdforms.canonical_instant(lexical) == written


@pytest.mark.parametrize("start", [date(1, 1, 1), date(1900, 2, 28), date(2000, 2, 28), date(2024, 12, 31)])
def test_a_day_counts_as_pythons_calendar_counts_it(start):
    """The day arithmetic of shifted_instant and instants_apart, against Python's proleptic Gregorian calendar
    (years 1 to 9999), a day at a time across four years from each start."""
    base = xsdforms.days_from_civil(start.year, start.month, start.day)
    for offset in range(0, 4 * 366):
        day = start + timedelta(days=offset)
        assert xsdforms.days_from_civil(day.year, day.month, day.day) == base + offset
        assert xsdforms.civil_from_days(base + offset) == (day.year, day.month, day.day)


@pytest.mark.parametrize(
    ("lexical", "kind", "months", "seconds", "shifted"),
    [
        ("2025-01-31", "date", 1, "0", "2025-02-28"),  # the day kept within the month reached
        ("2024-01-31T10:00:00Z", "dateTime", 1, "0", "2024-02-29T10:00:00Z"),
        ("2025-03-31T10:00:00+00:00", "dateTime", -1, "0", "2025-02-28T10:00:00Z"),
        ("2025-12-31Z", "date", 0, "129600", "2026-01-01Z"),  # a date as its midnight, 36 hours on
        ("2025-12-31T10:00:00.123456789-05:00", "dateTime", 0, "0.000000001", "2025-12-31T10:00:00.12345679-05:00"),
        ("2025-12-31T24:00:00Z", "dateTime", 0, "3600", "2026-01-01T01:00:00Z"),
        ("-0001-12-31T23:00:00", "dateTime", 0, "3600", "0000-01-01T00:00:00"),
        ("9999-12-31T23:00:00Z", "dateTime", 0, "3600", "10000-01-01T00:00:00Z"),
        ("23:00:00Z", "time", 0, "10800", "02:00:00Z"),  # round the clock
        ("10:00:00", "time", 0, "-39600", "23:00:00"),
        ("10:00:00", "time", 1, "0", None),  # a time has no months
    ],
)
def test_an_instant_plus_a_duration_follows_xsds_rule(lexical, kind, months, seconds, shifted):
    assert xsdforms.shifted_instant(lexical, kind, months, Decimal(seconds)) == shifted


@pytest.mark.parametrize(
    ("later", "earlier", "apart"),
    [
        ("2025-12-31T10:00:00+05:00", "2025-12-31T10:00:00Z", "-PT5H"),
        ("2025-12-31Z", "2025-12-30+01:00", "P1DT1H"),
        ("10:00:00", "12:00:00", "-PT2H"),
        ("-0044-03-15", "0001-01-01", "-P16363D"),
        ("2025-12-31T10:00:00.123456789Z", "2025-12-31T10:00:00.1Z", "PT0.023456789S"),
        ("2025-12-31T24:00:00Z", "2026-01-01T00:00:00Z", "PT0S"),
        ("2025-12-31T10:00:00Z", "2025-12-31T10:00:00", None),  # a time zone on one alone
    ],
)
def test_two_instants_apart_are_a_day_time_duration(later, earlier, apart):
    assert xsdforms.instants_apart(later, earlier) == apart
