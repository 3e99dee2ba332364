"""XSD 1.1's lexical forms of numbers, dates, times and durations (Part 2, 3.3.3-3.3.9, 3.4.13, 3.4.26-3.4.27), as
the text of regular expressions in ASCII digits (``[0-9]``: Python's ``\\d`` takes any script's), one spelling for
every module that judges a literal by its form: the strict readers of :mod:`kgraph._compat`, the sort keys of
:mod:`kgraph.sortkey` and the Neo4j export's durations (:mod:`kgraph.export.property_graph`).

Each matches a whole lexical form with ``re.fullmatch``; none has anchors. :data:`DURATION` has groups, read by
the sort keys and the export: the sign (``sign``, ``-`` or None), then the numbers of its years, months, days,
hours, minutes and seconds (with their fraction, which ``Decimal`` reads). :func:`canonical_decimal`,
:func:`canonical_duration` and :func:`canonical_instant` write a decimal, a duration (read by
:func:`duration_span`) and a date or time in their canonical form, as Oxigraph writes them. This module imports
``re`` alone (and ``decimal`` where a duration is read).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from decimal import Decimal

#: A decimal: no exponent, no NaN or INF, a point anywhere but alone (``5.``, ``.5``).
DECIMAL = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
#: An integer, or a value of a type derived from it (range aside).
INTEGER = r"[+-]?[0-9]+"
#: A finite double or float: a decimal with an exponent or none.
FINITE_DOUBLE = rf"{DECIMAL}(?:[eE][+-]?[0-9]+)?"
#: A double or float: finite, INF, -INF or NaN, and, as Oxigraph (Rust) reads them, in any case, with a sign and
#: ``infinity`` spelt out.
DOUBLE = rf"{FINITE_DOUBLE}|[+-]?(?i:inf|infinity|nan)"

_ZONE = r"Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00)"
#: A time zone, optional: ``Z`` or an offset of at most 14 hours.
ZONE = rf"(?:{_ZONE})?"
DATE = r"-?(?:[1-9][0-9]{3,}|0[0-9]{3})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
#: A time's seconds are two digits, then a point and at least one digit if any (secondFrag); 24:00:00 is midnight.
TIME = r"(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?|24:00:00(?:\.0+)?)"
#: A duration's time: a ``T`` and at least one part; its seconds are digits with a point anywhere among them, or
#: none, but at least one digit (duSecondFrag: ``5``, ``5.5``, ``5.``, ``.5``).
_DU_TIME = r"T(?=\.?[0-9])(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+(?:\.[0-9]*)?|\.[0-9]+)S)?"
#: A duration: at least one part after the ``P``.
DURATION = rf"(?P<sign>-)?P(?=[0-9]|T\.?[0-9])(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)D)?(?:{_DU_TIME})?"
DAY_TIME_DURATION = rf"-?P(?:[0-9]+D(?:{_DU_TIME})?|{_DU_TIME})"
YEAR_MONTH_DURATION = r"-?P(?:[0-9]+Y(?:[0-9]+M)?|[0-9]+M)"

#: The forms above by the local name of their datatype in XSD's namespace.
TEMPORALS = {
    "dateTime": f"{DATE}T{TIME}{ZONE}",
    "date": f"{DATE}{ZONE}",
    "time": f"{TIME}{ZONE}",
    "duration": DURATION,
    "dayTimeDuration": DAY_TIME_DURATION,
    "yearMonthDuration": YEAR_MONTH_DURATION,
}

_YEAR = r"(?P<year>-?(?:[1-9][0-9]{3,}|0[0-9]{3}))"
_MONTH = r"(?P<month>0[1-9]|1[0-2])"
_DAY = r"(?P<day>0[1-9]|[12][0-9]|3[01])"
_ZONE_GROUP = rf"(?P<zone>{_ZONE})?"
#: The Gregorian parts of a date (gYear, gYearMonth, gMonthDay, gDay, gMonth), by local name, with the groups
#: ``year``, ``month`` and ``day`` that each has, and ``zone`` (None without a time zone).
GREGORIAN = {
    "gYear": f"{_YEAR}{_ZONE_GROUP}",
    "gYearMonth": f"{_YEAR}-{_MONTH}{_ZONE_GROUP}",
    "gMonthDay": f"--{_MONTH}-{_DAY}{_ZONE_GROUP}",
    "gDay": f"---{_DAY}{_ZONE_GROUP}",
    "gMonth": f"--{_MONTH}{_ZONE_GROUP}",
}

#: The types derived from xsd:integer (by local name), whose lexical form is :data:`INTEGER`'s.
INTEGER_TYPES = (
    "integer",
    "nonPositiveInteger",
    "negativeInteger",
    "nonNegativeInteger",
    "positiveInteger",
    "long",
    "int",
    "short",
    "byte",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
)
#: xsd:boolean's lexical form: these four words, in small letters, with no white space (Oxigraph's reading too).
BOOLEAN = "true|false|1|0"
NUMBERS = {"decimal": DECIMAL, **dict.fromkeys(INTEGER_TYPES, INTEGER), "double": DOUBLE, "float": DOUBLE}


def compiled(form: str) -> re.Pattern[str]:
    """``form`` compiled to match a whole text with ``match`` (it ends at ``\\Z``)."""
    return re.compile(rf"(?:{form})\Z")


__all__ = [
    "BOOLEAN",
    "DATE",
    "DAY_TIME_DURATION",
    "DECIMAL",
    "DOUBLE",
    "DURATION",
    "FINITE_DOUBLE",
    "GREGORIAN",
    "INSTANT",
    "INTEGER",
    "INTEGER_TYPES",
    "NUMBERS",
    "TEMPORALS",
    "TIME",
    "YEAR_MONTH_DURATION",
    "ZONE",
    "compiled",
]


def canonical_decimal(number: Decimal) -> str:
    """XSD 1.1's canonical form of a finite decimal, as Oxigraph writes one: no exponent, no zero to spare after the
    point, no point for a whole number, no sign for zero (``4.40`` is ``4.4``, ``3.0`` is ``3``, ``-0.0`` is ``0``,
    ``1E+2`` is ``100``). Every digit is kept (``copy_abs``, not ``abs()``, which rounds to the context's 28)."""
    written = format(number.copy_abs(), "f")
    if "." in written:
        written = written.rstrip("0").rstrip(".")
    if written == "0":
        return written
    return f"-{written}" if number.is_signed() else written


def duration_span(lexical: str) -> tuple[int, Decimal] | None:
    """A duration in :data:`DURATION`'s form as its months and its seconds, each with the duration's sign, every
    digit of the seconds kept (read as text: Decimal arithmetic rounds to 28 significant digits); None for a text
    in another form."""
    from decimal import Decimal  # noqa: PLC0415 - only where a duration is read

    found = re.fullmatch(DURATION, lexical)
    if found is None:
        return None
    negative, years, months, days, hours, minutes, seconds = found.groups()
    span = int(years or 0) * 12 + int(months or 0)
    whole, _point, fraction = (seconds or "0").partition(".")
    time = ((int(days or 0) * 24 + int(hours or 0)) * 60 + int(minutes or 0)) * 60 + int(whole or 0)
    exact = Decimal(f"{time}.{fraction or 0}")
    return (-span, -exact) if negative else (span, exact)


def canonical_duration(months: int, seconds: Decimal, zero: str) -> str:
    """A duration of ``months`` and ``seconds`` (of one sign, or none) in the canonical form Oxigraph writes: years
    and months, then days, hours, minutes and seconds, each left out when it is none, every digit of the seconds
    kept; ``zero`` when all are none (``PT0S``, or ``P0M`` for an ``xsd:yearMonthDuration``). ``PT90M`` is
    ``PT1H30M``, ``-P400D`` stays, and 1.50 seconds are ``PT1.5S``."""
    negative = months < 0 or seconds < 0
    whole, _point, fraction = format(seconds.copy_abs(), "f").partition(".")
    fraction = fraction.rstrip("0")
    months, all_seconds = abs(months), int(whole)
    if months == 0 and all_seconds == 0 and not fraction:
        return zero
    years, months = divmod(months, 12)
    days, rest = divmod(all_seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, second = divmod(rest, 60)
    text = "-P" if negative else "P"
    text += (f"{years}Y" if years else "") + (f"{months}M" if months else "") + (f"{days}D" if days else "")
    if hours or minutes or second or fraction:
        text += "T" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
        text += f"{second}{'.' if fraction else ''}{fraction}S" if second or fraction else ""
    return text


#: The seconds of a time with their fraction (``:00.500``), before the time zone if any; and a zone of UTC.
_FRACTION = re.compile(r"(:[0-9][0-9])\.([0-9]*?)0*(?=Z$|[+-][0-9][0-9]:[0-9][0-9]$|$)")
_UTC = re.compile(r"[+-]00:00$")


#: A time of 24:00:00 (the end of a day: midnight of the next one), at the start of a time or after a date's ``T``.
_END_OF_DAY = re.compile(r"(?:(?P<date>-?[0-9]{4,}-[0-9]{2}-[0-9]{2})T|^)24:00:00(?:\.0+)?")
#: The days of each month of a year that is not a leap year (from January, index 1).
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def canonical_instant(lexical: str) -> str:
    """A date, time, date-time or Gregorian part in XSD's form, in the canonical form Oxigraph writes: ``Z`` for
    UTC (``+00:00``, ``-00:00``), no zero to spare in the fraction of its seconds (``10:30:00.500`` is
    ``10:30:00.5``, ``.000`` goes), and 24:00:00 as midnight of the next day (``2025-12-31T24:00:00Z`` is
    ``2026-01-01T00:00:00Z``, a time's ``24:00:00`` is ``00:00:00``). Every digit is kept."""
    lexical = _END_OF_DAY.sub(_midnight, lexical, count=1)
    lexical = _FRACTION.sub(lambda match: match[1] + (f".{match[2]}" if match[2] else ""), lexical, count=1)
    return _UTC.sub("Z", lexical)


def _midnight(match: re.Match[str]) -> str:
    date = match["date"]
    if date is None:
        return "00:00:00"
    after = next_day(date)
    return match[0] if after == date else f"{after}T00:00:00"  # a day off the calendar is ill-typed: as written


def next_day(date: str) -> str:
    """The day after ``date`` (``YYYY-MM-DD``, XSD's years: any number of digits, a sign, year 0 the year before 1),
    by the proleptic Gregorian calendar; ``date`` itself if it is no day of the calendar (``2025-02-30``)."""
    year_text, month_text, day_text = date.rsplit("-", 2)
    year, month, day = int(year_text), int(month_text), int(day_text)
    last = days_in_month(year, month)
    if day > last:
        return date
    if day < last:
        day += 1
    elif month < 12:
        day, month = 1, month + 1
    else:
        day, month, year = 1, 1, year + 1
    return f"{'-' if year < 0 else ''}{abs(year):04d}-{month:02d}-{day:02d}"


def days_in_month(year: int, month: int) -> int:
    """The days of ``month`` (1-12) of ``year`` in the proleptic Gregorian calendar, as XSD 1.1 counts its years
    (year 0, the year before 1, is a leap year)."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 29 if month == 2 and leap else _MONTH_DAYS[month]


#: A date, date-time or time, in its parts: year, month, day; hours, minutes, seconds; the time zone (groups 1-7,
#: each None where it has none). It reads a text already in its XSD form (:data:`TEMPORALS`), not judges one.
INSTANT = re.compile(
    r"(?:(-?[0-9]{4,})-([0-9]{2})-([0-9]{2}))?T?(?:([0-9]{2}):([0-9]{2}):([0-9]{2}(?:\.[0-9]*)?))?(Z|[+-][0-9]{2}:[0-9]{2})?"
)


def shifted_instant(lexical: str, kind: str, months: int, seconds: Decimal) -> str | None:
    """The date, date-time or time ``lexical`` (in its XSD form; ``kind`` its local type name) plus a duration of
    ``months`` and ``seconds``, in the canonical form, by XSD 1.1's rule (Part 2, E.3.3; XPath's
    ``op:add-yearMonthDuration-to-dateTime`` and kin): the months first, the day kept within the month they reach
    (January 31 and a month is February 28 or 29), then the seconds; a date as its midnight, the date kept; a time
    on the clock, round the day. Every digit of the seconds is kept, any year. None for a time and months."""
    from decimal import ROUND_FLOOR, Decimal, localcontext  # noqa: PLC0415 - only where a date is shifted

    found = INSTANT.fullmatch(canonical_instant(lexical))
    if found is None or (kind == "time" and months):
        return None
    year_text, month_text, day_text, hours, minutes, second_text, zone = found.groups()
    year, month, day = (int(year_text), int(month_text), int(day_text)) if year_text else (1972, 1, 1)
    if months:
        total = month - 1 + months
        year, month = year + total // 12, total % 12 + 1
        day = min(day, days_in_month(year, month))
    with localcontext() as context:
        context.prec = 200  # every digit of a fraction of a second, whatever the year
        clock = Decimal(int(hours or 0) * 3600 + int(minutes or 0) * 60) + Decimal(second_text or 0)
        instant = Decimal(days_from_civil(year, month, day) * 86400) + clock + seconds
        days = int((instant / 86400).to_integral_value(rounding=ROUND_FLOOR))
        rest = instant - days * 86400
    year, month, day = civil_from_days(days)
    date = f"{'-' if year < 0 else ''}{abs(year):04d}-{month:02d}-{day:02d}"
    whole = int(rest)
    fraction = format(rest - whole, "f").partition(".")[2].rstrip("0")
    time = f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}{'.' if fraction else ''}{fraction}"
    written = {"date": date, "time": time}.get(kind, f"{date}T{time}")
    return canonical_instant(written + (zone or ""))


def instants_apart(later: str, earlier: str) -> str | None:
    """``later - earlier`` of two dates, two date-times or two times in their XSD forms, as the canonical
    ``xsd:dayTimeDuration`` (XPath's ``op:subtract-dateTimes`` and kin): each taken to UTC by its time zone, two
    times on one day; every digit of the seconds, any year. None if one has a time zone and the other none, as
    Oxigraph has it."""
    from decimal import Decimal, localcontext  # noqa: PLC0415 - only where dates are subtracted

    seconds: list[Decimal] = []
    zoned: set[bool] = set()
    with localcontext() as context:
        context.prec = 200
        for lexical in (later, earlier):
            found = INSTANT.fullmatch(canonical_instant(lexical))
            if found is None:
                return None
            year_text, month_text, day_text, hours, minutes, second_text, zone = found.groups()
            days = days_from_civil(int(year_text), int(month_text), int(day_text)) if year_text else 0
            clock = int(hours or 0) * 3600 + int(minutes or 0) * 60 - zone_seconds(zone)
            seconds.append(Decimal(days * 86400 + clock) + Decimal(second_text or 0))
            zoned.add(zone is not None)
        if len(zoned) > 1:
            return None
        return canonical_duration(0, seconds[0] - seconds[1], "PT0S")


def zone_seconds(zone: str | None) -> int:
    """The seconds a time zone (``Z``, ``+05:30``, none) is ahead of UTC."""
    if zone is None or zone == "Z":
        return 0
    seconds = (int(zone[1:3]) * 60 + int(zone[4:6])) * 60
    return -seconds if zone[0] == "-" else seconds


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to a day of the proleptic Gregorian calendar, any year (year 0 the year before 1): the
    day arithmetic of :func:`shifted_instant`, :func:`instants_apart` and the order of durations."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def civil_from_days(days: int) -> tuple[int, int, int]:
    """The year, month and day ``days`` after 1970-01-01 (before it, if negative): :func:`days_from_civil`'s
    inverse."""
    days += 719468
    era = days // 146097
    day_of_era = days - era * 146097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = shifted_month + 3 if shifted_month < 10 else shifted_month - 9
    return year_of_era + era * 400 + (month <= 2), month, day
