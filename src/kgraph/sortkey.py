"""Sort keys of RDF terms in the order of a SPARQL ``ORDER BY`` as Oxigraph gives it, for kgraph's own sorts: a
store's closing ``ORDER BY`` (:mod:`kgraph.oxorder`) and rdflib's ``ORDER BY`` in memory
(:func:`kgraph._compat.order_like_oxigraph`), so that both give one order.

The order is SPARQL's, as Oxigraph implements it wherever Oxigraph's is a total order: unbound < blank nodes < IRIs <
literals; IRIs and blank nodes by their text. Literals come in groups, each ordered by value as Oxigraph orders it:
numbers (``xsd:integer`` and the types Oxigraph reads as integers, ``xsd:decimal``, ``xsd:double``) exactly by value;
``xsd:float`` (which Oxigraph compares with another number as a 32-bit float); booleans; dates, then date-times, then
each Gregorian part of a date (``xsd:gYear``, ...) by its datatype, each on the time line (one without a time zone taken
as UTC; Oxigraph compares a date with a date-time by their text); times of day; durations (by months, then seconds);
texts (plain, ``xsd:string``, language-tagged, other non-XSD datatypes) by text, then datatype, then language; and any
other literal (``NaN``, an ill-typed number, ``xsd:hexBinary``, ...) by text and datatype. SPARQL leaves the order
between kinds open: a column of one kind comes in Oxigraph's order, and a column of several in these groups, in this
order, where Oxigraph's would depend on how its sort went (if it did not abort). Values equal in their group (1 and 1.0,
one instant in two time zones) are equal as in Oxigraph: the next condition decides.

This module reads no query and imports neither pyoxigraph nor a regular expression over Unicode classes: an
in-memory query that sorts loads it (a few milliseconds), not the query splitting of :mod:`kgraph.oxorder`.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from rdflib.term import BNode, Literal, URIRef

from kgraph import xsdforms
from kgraph.xsdforms import compiled

#: The XML Schema namespace, the datatypes' IRIs' start.
XSD = "http://www.w3.org/2001/XMLSchema#"
_STRING = f"{XSD}string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
#: The lexical forms Oxigraph reads as numbers (then within range: see _number_key).
_INTEGER = compiled(xsdforms.INTEGER)
_DECIMAL = compiled(xsdforms.DECIMAL)
#: Oxigraph's xsd:integer is 64 bits; its xsd:decimal 128 bits, 18 digits of them after the point.
INTEGER_RANGE = range(-(2**63), 2**63)
_DECIMAL_LARGEST = Decimal("170141183460469231731.687303715884105727")
#: A double but NaN, which is no number to order (``INF`` in any case, as Oxigraph reads it).
_DOUBLE = compiled(rf"{xsdforms.FINITE_DOUBLE}|[+-]?(?i:inf|infinity)")
_XSD_FLOAT = f"{XSD}float"
_XSD_TIME = f"{XSD}time"
_XSD_INTEGER = f"{XSD}integer"
_XSD_DECIMAL = f"{XSD}decimal"
_NUMBERS = {_XSD_INTEGER: _INTEGER, _XSD_DECIMAL: _DECIMAL, f"{XSD}double": _DOUBLE, _XSD_FLOAT: _DOUBLE}
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
_ZONE = r"(Z|[+-][0-9]{2}:[0-9]{2})?"
_SECONDS = r"([0-9]{2}(?:\.[0-9]+)?)"
_DATE_TIME = re.compile(
    rf"(-?[0-9]{{4,}})-([0-9]{{2}})-([0-9]{{2}})(?:T([0-9]{{2}}):([0-9]{{2}}):{_SECONDS})?{_ZONE}\Z"
)
_TIME_OF_DAY = re.compile(rf"([0-9]{{2}}):([0-9]{{2}}):{_SECONDS}{_ZONE}\Z")
#: XSD's lexical form of a duration, matched whole, with its groups (see :mod:`kgraph.xsdforms`).
#: :mod:`kgraph.export.property_graph` reads durations with it too.
DURATION = compiled(xsdforms.DURATION)
_DATES = {f"{XSD}{name}": name != "date" for name in ("date", "dateTime", "dateTimeStamp")}  # name -> has a time
_GREGORIAN = {f"{XSD}{name}": compiled(form) for name, form in xsdforms.GREGORIAN.items()}
#: XSD's year for the Gregorian parts without one (gMonthDay, gDay, gMonth): a leap year, so ``--02-29`` is a day.
_REFERENCE_YEAR = "1972"
_DURATIONS = {f"{XSD}{name}" for name in ("duration", "dayTimeDuration", "yearMonthDuration")}

# The first item of a sort key; a literal's second item is its group (see the module's documentation).
UNBOUND, BLANK, IRI, LITERAL = 0, 1, 2, 3
NUMBER, FLOAT, BOOLEAN, INSTANT, TIME, SPAN, TEXT, OTHER = range(8)


def term_key(term: object) -> tuple[Any, ...]:
    """The place of an rdflib term in the order :func:`kgraph.oxorder.sorted_rows` gives, for rdflib's own ``ORDER BY``
    (:func:`kgraph._compat.order_like_oxigraph`); anything else (an unbound variable, an expression's error) comes
    first, with the unbound values."""
    if isinstance(term, Literal):
        language = term.language
        if (
            language is not None
        ):  # in small letters, as Oxigraph keeps it (kgraph._compat.literals_as_a_store_reads_them)
            return (LITERAL, TEXT, str(term), _LANG_STRING, language)
        datatype = term.datatype
        return literal_key(str(term), _STRING if datatype is None else str(datatype))
    if isinstance(term, URIRef):
        return (IRI, str(term))
    if isinstance(term, BNode):
        return (BLANK, str(term))
    return (UNBOUND,)


def literal_key(value: str, datatype: str) -> tuple[Any, ...]:
    """The sort key of a literal without a language tag."""
    if datatype == _STRING or not datatype.startswith(XSD):
        return (LITERAL, TEXT, value, datatype, "")
    read = _READERS.get(datatype)
    key = None if read is None else read(value, datatype)
    return (LITERAL, OTHER, value, datatype) if key is None else key  # NaN, an ill-typed value, xsd:hexBinary, ...


def _number_key(value: str, datatype: str) -> tuple[Any, ...] | None:
    """A number's place: an integer or a decimal exactly, a double or a float as the binary number Oxigraph
    holds (64 or 32 bits: past their range, infinite; below it, zero); None for a text Oxigraph does not read
    as that number (NaN, an integer past 64 bits, a decimal with more than 18 digits after the point).

    Oxigraph compares a double with a decimal or an integer as two doubles: the decimal 0.1 and the double 0.1
    are equal. So a double is placed by the shortest decimal that reads as it (0.1, not the binary number's
    0.1000000000000000055...), which keeps them equal here too."""
    if not _NUMBERS[datatype].match(value):
        return None
    number: int | Decimal | float
    if datatype == _XSD_INTEGER:
        number = int(value)
        if number not in INTEGER_RANGE:
            return None
    elif datatype == _XSD_DECIMAL:
        number = Decimal(value)
        if len(value.partition(".")[2].rstrip("0")) > 18 or abs(number) > _DECIMAL_LARGEST:
            return None
    else:
        number = _binary(float(value), single=datatype == _XSD_FLOAT)
    return (LITERAL, FLOAT if datatype == _XSD_FLOAT else NUMBER, number)


def _binary(number: float, *, single: bool) -> Decimal | float:
    """``number`` as the shortest decimal that reads as the same double, or the exact value of the 32-bit float
    it rounds to; an infinity as it is."""
    if not single:
        return number if math.isinf(number) else Decimal(repr(number))
    try:
        number = struct.unpack("f", struct.pack("f", number))[0]
    except OverflowError:  # past a float's range: Oxigraph reads it as infinite
        return math.copysign(math.inf, number)
    return number if math.isinf(number) else Decimal(number)


def _instant_key(value: str, datatype: str) -> tuple[Any, ...] | None:
    parts = _timeline_parts(value, datatype)
    return None if parts is None else (LITERAL, INSTANT, datatype, _instant(parts))


def _time_key(value: str, datatype: str) -> tuple[Any, ...] | None:
    parts = _timeline_parts(value, datatype)
    return None if parts is None else (LITERAL, TIME, _instant(parts))


def instant(value: str, datatype: str) -> tuple[Decimal, bool] | None:
    """The instant of a date (its midnight), date-time, time of day (on 1972-12-31) or Gregorian part of a date (its
    first instant: gYear, gYearMonth, gMonthDay, gDay, gMonth, in the reference year 1972 for those without a year)
    written ``value``, of the datatype ``datatype`` (an IRI), in seconds from 1970-01-01T00:00:00Z, without a time
    zone as in UTC; and whether it has a time zone. None for a text not in XSD's form, and for another datatype."""
    parts = _timeline_parts(value, datatype)
    return None if parts is None else (_instant(parts), parts[-1] is not None)


def _timeline_parts(value: str, datatype: str) -> Sequence[str | None] | None:
    """:func:`instant`'s value as the year, month, day, hour, minute, second and time zone :func:`_instant` reads."""
    if datatype in _GREGORIAN:
        found = _GREGORIAN[datatype].match(value)
        if found is None:
            return None
        year, month, day, zone = (found.groupdict().get(part) for part in ("year", "month", "day", "zone"))
        return (year or _REFERENCE_YEAR, month, day, None, None, None, zone)
    if datatype == _XSD_TIME:
        found = _TIME_OF_DAY.match(value)
        if found is None:
            return None
        hour, minute, second, zone = found.groups()  # 24:00:00 is the midnight that starts the day, as in XSD 1.1
        return (_REFERENCE_YEAR, "12", "31", "00" if hour == "24" else hour, minute, second, zone)
    found = _DATE_TIME.match(value) if datatype in _DATES else None
    if found is None or (found.group(4) is not None) != _DATES[datatype]:
        return None
    return found.groups()


def _boolean_key(value: str, _datatype: str) -> tuple[Any, ...] | None:
    return (LITERAL, BOOLEAN, _BOOLEANS[value]) if value in _BOOLEANS else None


def _span_key(value: str, datatype: str) -> tuple[Any, ...] | None:
    found = DURATION.match(value)
    if found is None:
        return None
    return (LITERAL, SPAN, *_span(found.groups()))


_READERS: dict[str, Callable[[str, str], tuple[Any, ...] | None]] = {
    **dict.fromkeys(_NUMBERS, _number_key),
    **dict.fromkeys(_DATES, _instant_key),
    **dict.fromkeys(_GREGORIAN, _instant_key),
    _XSD_TIME: _time_key,
    f"{XSD}boolean": _boolean_key,
    **dict.fromkeys(_DURATIONS, _span_key),
}


def _instant(parts: Sequence[str | None]) -> Decimal:
    """Seconds from 1970-01-01T00:00:00Z of a date (its midnight) or date-time; without a time zone, as in UTC."""
    year, month, day, hour, minute, second, zone = parts
    seconds = _days(int(year or 0), int(month or 1), int(day or 1)) * 86400
    seconds += int(hour or 0) * 3600 + int(minute or 0) * 60
    instant = Decimal(second or 0) + seconds
    if zone and zone != "Z":
        offset = int(zone[1:3]) * 3600 + int(zone[4:6]) * 60
        instant -= offset if zone[0] == "+" else -offset
    return instant


def _days(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to a day of the proleptic Gregorian calendar, any year (H. Hinnant's method)."""
    year -= month <= 2
    era = year // 400
    of_era = year - era * 400
    of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    return era * 146097 + of_era * 365 + of_era // 4 - of_era // 100 + of_year - 719468


def _span(parts: Sequence[str | None]) -> tuple[int, Decimal]:
    """A duration as (months, seconds), each with its sign."""
    negative, years, months, days, hours, minutes, seconds = parts
    total_months = int(years or 0) * 12 + int(months or 0)
    total_seconds = Decimal(seconds or 0) + (int(days or 0) * 86400 + int(hours or 0) * 3600 + int(minutes or 0) * 60)
    return (-total_months, -total_seconds) if negative else (total_months, total_seconds)
